package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyForwardingTest {

    @Test
    void entries_splitAtCommasOutsideQuotes() {
        List<String> entries =
                ProxyForwarding.entries(
                        List.of(
                                "for=\"[2001:db8::1]:80\";proto=https, for=\"a,b\"",
                                " 203.0.113.9 ,, ",
                                "for=\"x\\\",y\""),
                        true);

        assertThat(entries)
                .containsExactly(
                        "for=\"[2001:db8::1]:80\";proto=https",
                        "for=\"a,b\"",
                        "203.0.113.9",
                        "for=\"x\\\",y\"");
    }

    @Test
    void entries_ofAHeaderWithoutQuotedText_splitAtEveryComma() {
        assertThat(ProxyForwarding.entries(List.of("\"9.9.9.9, 5.6.7.8"), false))
                .containsExactly("\"9.9.9.9", "5.6.7.8");
    }

    @Test
    void entries_ofAValueThatLeavesAQuoteOpen_splitAtEveryComma() {
        assertThat(
                        ProxyForwarding.entries(
                                List.of(
                                        "for=\"198.51.100.1, for=203.0.113.9",
                                        "for=198.51.100.2;by=\"x, for=\"[2001:db8::5]\""),
                                true))
                .containsExactly(
                        "for=\"198.51.100.1",
                        "for=203.0.113.9",
                        "for=198.51.100.2;by=\"x",
                        "for=\"[2001:db8::5]\"");
    }

    @Test
    void namesAParameterTwice_findsARepeatedNameInAnyCase_butNotInQuotedText() {
        assertThat(ProxyForwarding.namesAParameterTwice("for=192.0.2.7;for=203.0.113.5")).isTrue();
        assertThat(ProxyForwarding.namesAParameterTwice("For=192.0.2.7; proto=https; FOR=x"))
                .isTrue();
        assertThat(ProxyForwarding.namesAParameterTwice("for=\"a;for=b\";proto=https")).isFalse();
        assertThat(ProxyForwarding.namesAParameterTwice("for=192.0.2.7;proto=https;by=x"))
                .isFalse();
        assertThat(ProxyForwarding.namesAParameterTwice("\"for\"=192.0.2.4;for=192.0.2.5"))
                .isTrue();
        assertThat(ProxyForwarding.namesAParameterTwice(null)).isFalse();
    }

    @Test
    void entries_ofNoValues_areNone() {
        assertThat(ProxyForwarding.entries(List.of(), true)).isEmpty();
        assertThat(ProxyForwarding.entries(List.of(" , "), false)).isEmpty();
    }
}
