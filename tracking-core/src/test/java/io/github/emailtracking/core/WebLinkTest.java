package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebLinkTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com",
                "https://example.com/product",
                "http://example.com:8080/a?b=c&d=e#frag",
                "https://example.com/a%2Fb?q=%E2%82%AC#x",
                "https://example.com/search?q[]=1&q[]=2",
                "https://example.com/it's:here",
                "https://[2001:db8::1]:8443/path",
                "HTTPS://Example.COM/Path",
                "https://user@example.com/"
            })
    void parse_ordinaryLinks_keepsThemByteForByte(String url) {
        WebLink link = WebLink.parse(url).orElseThrow();

        assertThat(link.original()).isEqualTo(url);
        assertThat(link.location()).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://example.com/café | https://example.com/caf%C3%A9",
                "https://example.com/a b | https://example.com/a%20b",
                "https://example.com/?q=日本 | https://example.com/?q=%E6%97%A5%E6%9C%AC",
                "https://example.com/#😀 | https://example.com/#%F0%9F%98%80",
                "https://münchen.de/straße | https://xn--mnchen-3ya.de/stra%C3%9Fe",
                "https://example.com/x<script>\"`?a={b}^ |"
                        + " https://example.com/x%3Cscript%3E%22%60?a=%7Bb%7D%5E"
            })
    void location_encodesOnlyWhatAUriCannotCarry(String url, String location) {
        assertThat(WebLink.parse(url).orElseThrow().location()).isEqualTo(location);
    }

    @Test
    void parse_backslashInTheQueryOrFragment_isKept_andEncodedInTheLocation() {
        WebLink link = WebLink.parse("https://x.example/p?path=C:\\dir\\file#a\\b").orElseThrow();

        assertThat(link.original()).isEqualTo("https://x.example/p?path=C:\\dir\\file#a\\b");
        assertThat(link.location()).isEqualTo("https://x.example/p?path=C:%5Cdir%5Cfile#a%5Cb");
        assertThat(link.host()).isEqualTo("x.example");
    }

    @ParameterizedTest
    @CsvSource({
        "https://m\u00FCnchen.de/, xn--mnchen-3ya.de",
        "https://\u4F8B\u3048.\u30C6\u30B9\u30C8/, xn--r8jz45g.xn--zckzah",
        "https://\uFF21b.example/, ab.example",
        "https://a\u3002b\uFF0Ec\uFF61example/, a.b.c.example",
        "https://\u03A3\u03B1.example/, xn--mxa9a.example",
        "http://192.0.2.1/, 192.0.2.1",
        "http://192.0.2.1./, 192.0.2.1.",
        "http://123.example/, 123.example",
        "http://example.com1/, example.com1",
        "http://example.0xg/, example.0xg"
    })
    void host_ofANameOfUnicode32OrAnIpv4Address_isItsAsciiForm(String url, String host) {
        assertThat(WebLink.parse(url).orElseThrow().host()).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource({
        "https://[2001:db8::1]/, 2001:db8::1",
        "https://[2001:DB8:0:0:0:0:0:1]:8443/, 2001:db8::1",
        "https://[0:0:0:0:0:0:0:1]/, ::1",
        "https://[::FFFF:192.0.2.1]/, ::ffff:192.0.2.1",
        "https://[::ffff:c000:201]/, ::ffff:192.0.2.1"
    })
    void host_ofAnIpv6Address_isWrittenTheStandardWay(String url, String host) {
        WebLink link = WebLink.parse(url).orElseThrow();

        assertThat(link.host()).isEqualTo(host);
        assertThat(link.location()).isEqualTo(url);
    }

    @Test
    void location_encodesAVerticalBar() {
        assertThat(WebLink.parse("https://example.com/a|b").orElseThrow().location())
                .isEqualTo("https://example.com/a%7Cb");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "example.com",
                "//example.com/",
                "ftp://example.com/",
                "javascript:alert(1)",
                "data:text/html,hi",
                "https://",
                "https:///path",
                "https://example.com\\@evil.com/",
                "https:\\\\evil.com",
                "https://x.example/a\\b?q=1",
                "https://x.example\\?q=1",
                "https://exa mple.com/",
                "https://example.com:99999/",
                "https://example.com:/",
                "https://example.com:80a/",
                "https://example.com:0/",
                "https://example.com:00000/",
                "https://example.com:\u0668\u0660/",
                "https://xn--a.com/",
                "https://xn--.com/",
                "https://www.XN--A.example/",
                "https://xn--mnchen-3ya-.de/",
                "https://[::1/",
                "https://[1:2:3]/",
                "http://127.1/",
                "https://./",
                "http://\u3002/",
                "http://0x7f.1/",
                "http://0X7F.0.0.1/",
                "http://2130706433/",
                "http://1.2.3.04/",
                "http://256.1.1.1/",
                "http://example.123/",
                "http://example.0x/",
                "https://[192.0.2.1]/",
                "https://[1::2::3]/",
                "https://ex<ample.com/",
                "https://example.com/\u202Egnp.exe",
                "https://example.com/\u0000",
                "https://example.com/\r\nSet-Cookie:x=1",
                "https://example.com/\u0085",
                "https://stra\u00DFe.de/",
                "https://\u03B1\u03C2.example/",
                "https://a\u200Db.example/",
                "https://a\u200Cb.example/",
                "https://stra\u1E9Ee.de/",
                "https://\u1C90\u10D1.example/",
                "https://\u023Ax.example/",
                "https://\uD83C\uDD30b.example/",
                "https://\uAB70x.example/",
                "https://a\u04C0b.example/",
                "https://\u10A0\u10D0.example/",
                "https://a\u2132b.example/",
                "https://a\u3164b.example/",
                "https://a\u17B4b.example/",
                "https://a\u1806b.example/",
                "https://a\uD87E\uDC68b.example/",
                "https://bank\u2024com/p",
                "https://paypal\u2488com/p",
                "https://a\uFE52b\uFE52example/p",
                "https://x\u2026x.example/p"
            })
    void parse_refusesWhatIsNotAPlainWebLink(String url) {
        assertThat(WebLink.parse(url)).isEmpty();
    }

    @Test
    void parse_tooLong_isRefused() {
        String url = "https://example.com/" + "a".repeat(WebLink.MAX_LENGTH);

        assertThat(WebLink.parse(url)).isEmpty();
    }

    @Test
    void parse_loneSurrogate_isRefused() {
        assertThat(WebLink.parse("https://example.com/\uD800")).isEmpty();
    }

    @Test
    void host_isTheAuthorityHostInLowerCase_afterAnyUserInfo() {
        assertThat(WebLink.parse("https://good.com@EVIL.com:443/").orElseThrow().host())
                .isEqualTo("evil.com");
    }
}
