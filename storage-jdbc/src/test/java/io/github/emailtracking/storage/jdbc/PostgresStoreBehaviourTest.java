package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    @Override
    String newDatabaseUrl() {
        return DATABASES.create();
    }

    @Test
    void build_withAHostDataSource_detectsPostgres() {
        PGSimpleDataSource host = new PGSimpleDataSource();
        host.setURL(newDatabaseUrl());

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().dataSource(host).build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            assertThat(store.findEmail(id("t1"))).isPresent();
        }
    }

    @Test
    void build_serverNotListening_failsSayingItCannotBeReached() {
        String url = "jdbc:postgresql://127.0.0.1:1/nothing?user=postgres&connectTimeout=2";

        assertThatThrownBy(() -> open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not open the database: the database cannot be reached");
    }

    @Test
    void build_asARoleThatMayNotCreateTemporaryTables_failsSayingSo() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        String role = "et_test_role_" + UUID.randomUUID().toString().replace("-", "");
        String database = url.replaceAll("^jdbc:postgresql://[^/]+/([^?]*).*$", "$1");
        execute(
                url,
                "REVOKE TEMPORARY ON DATABASE " + database + " FROM PUBLIC",
                "CREATE ROLE " + role + " LOGIN",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        try {
            PGSimpleDataSource asRole = new PGSimpleDataSource();
            asRole.setURL(url);
            asRole.setUser(role);

            assertThatThrownBy(
                            () ->
                                    JdbcTrackingStore.builder()
                                            .dataSource(asRole)
                                            .migrate(false)
                                            .build())
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "the database role may not create temporary tables, which folding the"
                                    + " open journal needs: grant it TEMPORARY on the database");
        } finally {
            execute(url, "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Override
    Duration orphanAge() {
        return Duration.ofDays(1);
    }
}
