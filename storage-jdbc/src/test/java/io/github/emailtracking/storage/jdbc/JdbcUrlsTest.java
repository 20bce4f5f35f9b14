package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:postgresql://db:5432/t?user=u&password=hunter2|"
                        + "jdbc:postgresql://db:5432/t?user=u&password=***",
                "jdbc:postgresql://u:hunter2@db:5432/t|jdbc:postgresql://u:***@db:5432/t",
                "jdbc:mysql://u:hunter2@db/t?Password=x;ssl=true|"
                        + "jdbc:mysql://u:***@db/t?Password=***;ssl=true",
                "jdbc:postgresql://db:5432/t?user=u|jdbc:postgresql://db:5432/t?user=u",
                "jdbc:sqlite:/var/lib/t.db|jdbc:sqlite:/var/lib/t.db"
            })
    void redact_anyPassword_isHidden(String url, String shown) {
        assertThat(JdbcUrls.redact(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource({
        "jdbc:postgresql://db:5432/t?user=u, true",
        "jdbc:postgresql://[::1]/t, true",
        "'jdbc:postgresql://a:5432,b:5432/t', true",
        "jdbc:postgresql:t, true",
        "jdbc:postgresql:/t, true",
        "jdbc:postgresql://, false",
        "jdbc:postgresql:///, false",
        "jdbc:postgresql://db:5432, false",
        "jdbc:postgresql://db:5432/?user=t, false",
        "jdbc:postgresql:, false",
        "jdbc:postgresql:/, false",
        "jdbc:postgresql:?user=u, false"
    })
    void namesPostgresDatabase_isTrueOnlyForAUrlWithADatabaseName(String url, boolean names) {
        assertThat(JdbcUrls.namesPostgresDatabase(url)).isEqualTo(names);
    }
}
