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
                "İpek@example.com | ipek@example.com",
                "µ@example.com | Μ@example.com",
                "\u212Aelvin@example.com | kelvin@example.com",
                "jose\u0301@example.com | josé@example.com",
                "ｕｓｅｒ@ｅｘａｍｐｌｅ.com | user@example.com",
                "a\uFF20b@c.com | a@b@c.com",
                "user@example\u3002com | user@example.com",
                "user@example\uFF0Ecom | user@example.com",
                "user@example.com. | user@example.com",
                "user@bu\u0308cher.example | user@xn--bcher-kva.example",
                "user@BÜCHER.example | user@bücher.example",
                "user@XN--BCHER-KVA.example | user@bücher.example",
                "user@STRA\u1E9EE.de | user@straße.de",
                "user@ΣΑΣ.example | user@σασ.example",
                "user@k\u0130z.com | user@xn--kiz-9dc.com",
                "user@k\u0131z.com | user@xn--kz-hpa.com",
                "user@bücher.example | user@xn--bcher-kva.example"
            })
    void of_spellingsOfOneAddress_areOneKey(String spelling, String other) {
        assertThat(RecipientKeys.of(spelling)).isEqualTo(RecipientKeys.of(other));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "user@example.com | usr@example.com",
                "a+x@example.com | a@example.com",
                "a.b@example.com | ab@example.com",
                "user@example.com | user@example.org",
                "kız@example.com | kiz@example.com",
                "в@example.ru | \u1C80@example.ru",
                "user@straße.de | user@strasse.de",
                "user@σας.example | user@σασ.example",
                "user@k\u0131z.com | user@kiz.com",
                "user@k\u0130z.com | user@kiz.com",
                "user@k\u0130z.com | user@k\u0131z.com"
            })
    void of_addressesThatMailSystemsTellApart_areOtherKeys(String address, String other) {
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

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"a\uFF20b@c.com", "ΝΙΚΟΣ@ΣΑΣ.example", "u@STRA\u1E9EE.de", "x@k\u0130z.com"})
    void of_aKey_isItsOwnKey(String address) {
        String key = RecipientKeys.of(address);

        assertThat(RecipientKeys.of(key)).isEqualTo(key);
    }
}
