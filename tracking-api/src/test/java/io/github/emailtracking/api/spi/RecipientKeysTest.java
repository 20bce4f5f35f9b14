package io.github.emailtracking.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipientKeysTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Jane.Doe@Example.COM | jane.doe@example.com",
                "ΝΙΚΟΣ.ΠΑΠΑΣ@example.gr | νικος.παπας@example.gr",
                "aσ@example.com | AΣ@example.com",
                "ıvan@example.com | IVAN@example.com",
                "İpek@example.com | ipek@example.com",
                "ſam@example.com | SAM@example.com",
                "µ@example.com | Μ@example.com",
                "oﬁce@example.com | OFICE@example.com",
                "\u212Aelvin@example.com | kelvin@example.com",
                "jose\u0301@example.com | josé@example.com",
                "ｕｓｅｒ@ｅｘａｍｐｌｅ.com | user@example.com",
                "user@example\u3002com | user@example.com",
                "user@example\uFF0Ecom | user@example.com",
                "user@bu\u0308cher.example | user@xn--bcher-kva.example",
                "user@BÜCHER.example | user@bücher.example",
                "user@ΣΑΣ.example | user@σας.example",
                "user@STRA\u1E9EE.de | user@straße.de"
            })
    void of_spellingsOfOneAddress_areOneKey(String spelling, String other) {
        assertThat(RecipientKeys.of(spelling)).isEqualTo(RecipientKeys.of(other));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "user@example.com | usr@example.com",
                "user@straße.de | user@strasse.de",
                "user@example.com | user@example.org",
                "a.b@example.com | ab@example.com"
            })
    void of_otherAddresses_areOtherKeys(String address, String other) {
        assertThat(RecipientKeys.of(address)).isNotEqualTo(RecipientKeys.of(other));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Jane@Example.com | jane@example.com",
                "user@bücher.example | user@xn--bcher-kva.example",
                "user@[192.0.2.1] | user@[192.0.2.1]",
                "no-at-sign | no-at-sign"
            })
    void of_givesTheAsciiFormWhereThereIsOne(String address, String key) {
        assertThat(RecipientKeys.of(address)).isEqualTo(key);
    }
}
