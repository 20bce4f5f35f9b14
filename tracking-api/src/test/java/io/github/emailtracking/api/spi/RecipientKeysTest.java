package io.github.emailtracking.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipientKeysTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Jane.Doe@Example.COM | jane.doe@example.com | true",
                "ΝΙΚΟΣ.ΠΑΠΑΣ@example.gr | νικος.παπας@example.gr | true",
                "aσ@example.com | AΣ@example.com | true",
                "İpek@example.com | ipek@example.com | true",
                "İpek@example.com | i\u0307pek@example.com | true",
                "I\u0307PEK@example.com | ipek@example.com | true",
                "µ@example.com | Μ@example.com | true",
                "\u212Aelvin@example.com | kelvin@example.com | true",
                "jose\u0301@example.com | josé@example.com | true",
                "ｕｓｅｒ@ｅｘａｍｐｌｅ.com | user@example.com | true",
                "a\uFF20b@c.com | a@b@c.com | true",
                "user@example\u3002com | user@example.com | true",
                "user@example\uFF0Ecom | user@example.com | true",
                "user@example.com. | user@example.com | true",
                "user@bu\u0308cher.example | user@xn--bcher-kva.example | true",
                "user@BÜCHER.example | user@bücher.example | true",
                "user@XN--BCHER-KVA.example | user@bücher.example | true",
                "user@STRA\u1E9EE.de | user@straße.de | true",
                "user@ΣΑΣ.example | user@σασ.example | true",
                "user@k\u0130z.com | user@xn--kiz-9dc.com | true",
                "user@k\u0131z.com | user@xn--kz-hpa.com | true",
                "user@bücher.example | user@xn--bcher-kva.example | true",
                "user@xn--strae-oqa.de | user@straße.de | true",
                "user@XN--STRAE-OQA.de | user@STRAẞE.de | true",
                "r@\u0645\u0635\u0631\u064E.eg | r@xn--wgbh1cxb.eg | true",
                "t@\u078B\u07A8\u0788\u07AC\u0780\u07A8.mv | t@xn--hqbpi0jcw.mv | true",
                "a@\u05D01.example | a@xn--1-zhc.example | true",
                "user@xn--strae-oqa.de | user@strasse.de | false",
                "u@\u1FF3\u0301.gr | u@\u03CE\u03B9.gr | false",
                "u@\u1FF3\u0301.gr | u@xn--kxa5c.gr | true",
                "u@\u03C9\u0345\u0301.gr | u@\u03C9\u03AF.gr | true",
                "u@\u1FBC\u0301.gr | u@\u03AC\u03B9.gr | false",
                "u@\u03B5\u0345\u0323.gr | u@\u03B5\u0323\u03B9.gr | false",
                "\u1FB3@example.gr | \u03B1\u03B9@example.gr | true",
                "i\u0307\u0301@a.com | \u00ED@a.com | true",
                "u@xn--gmail-4ha.com | u@gmail.com | false",
                "u@xn--gmail-.com | u@gmail.com | false",
                "u@xn--mi7chab1aes7c.com | u@example.com | false",
                "u@xn--example-1z6c.com | u@example.com | false",
                "u@xn--example-tye.com | u@example.com | false",
                "u@xn--y4g.com | u@ix.com | false",
                "u@xn--le-1b1n.com | u@file.com | false",
                "u@xn--ab-r13a.com | u@a.b.com | false",
                "u@xn--ab-yu3n.com | u@a.b.com | false",
                "u@xn--BCHER-2pa.com | u@bücher.com | false",
                "u@xn--8c9bk9h.com | u@xn--e28h.com | false",
                "u@xn--ib9b.com | u@?.com | false",
                "user@example.com | usr@example.com | false",
                "a+x@example.com | a@example.com | false",
                "a.b@example.com | ab@example.com | false",
                "user@example.com | user@example.org | false",
                "kız@example.com | kiz@example.com | false",
                "в@example.ru | \u1C80@example.ru | false",
                "user@straße.de | user@strasse.de | false",
                "user@σας.example | user@σασ.example | false",
                "user@k\u0131z.com | user@kiz.com | false",
                "user@k\u0130z.com | user@kiz.com | false",
                "user@k\u0130z.com | user@k\u0131z.com | false"
            })
    void of_spellingsOfOneAddress_shareAKey_andAddressesMailSystemsTellApartDoNot(
            String address, String other, boolean same) {
        String key = RecipientKeys.of(address);
        String otherKey = RecipientKeys.of(other);

        assertThat(key.equals(otherKey)).as(key + " against " + otherKey).isEqualTo(same);
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
