package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.SENT;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.StoreException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresGroupCommitTest extends GroupCommitBehaviour {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    @Override
    String newDatabaseUrl() {
        return DATABASES.create();
    }

    @Test
    void batch_withAnEventPostgresRefuses_failsOnlyThatEvent() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        PendingWrite<Boolean> before = record(new OpenEvent(id("t1"), SENT, null, "Mail"));
        // PostgreSQL text cannot hold a NUL character.
        PendingWrite<Boolean> refused = record(new OpenEvent(id("t1"), SENT, null, "Ma\0il"));
        PendingWrite<Boolean> after = record(new OpenEvent(id("t1"), SENT, null, "Mail"));

        writer.start();

        assertThat(before.await(PATIENCE)).isTrue();
        assertThat(after.await(PATIENCE)).isTrue();
        assertThatThrownBy(() -> refused.await(PATIENCE))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not record the event: the database failed");
        assertThat(openCountOfT1()).isEqualTo(2);
    }
}
