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
}
