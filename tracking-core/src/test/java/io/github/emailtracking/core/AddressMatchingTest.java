package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading addresses and ranges, and finding the range that holds an address. */
class AddressMatchingTest {

    @Test
    void parse_ipv4_isHeldInItsMappedForm() {
        IpAddress address = IpAddress.parse("192.0.2.1");

        assertThat(address).isEqualTo(IpAddress.parse("::ffff:192.0.2.1"));
        assertThat(address).isEqualTo(IpAddress.parse("::ffff:c000:201"));
        assertThat(address.isIpv4()).isTrue();
    }

    @Test
    void parse_ipv6Spellings_agree() {
        IpAddress full = IpAddress.parse("2001:0db8:0000:0000:0000:0000:0000:0001");

        assertThat(IpAddress.parse("2001:db8::1")).isEqualTo(full);
        assertThat(IpAddress.parse("2001:DB8:0:0:0:0:0:1")).isEqualTo(full);
        assertThat(IpAddress.parse("[2001:db8::1]")).isEqualTo(full);
        assertThat(IpAddress.parse("2001:db8::1%eth0")).isEqualTo(full);
        assertThat(full.isIpv4()).isFalse();
    }

    @Test
    void parse_gapAtEitherEnd_fillsZeros() {
        assertThat(IpAddress.parse("::")).isEqualTo(new IpAddress(0, 0));
        assertThat(IpAddress.parse("::1")).isEqualTo(new IpAddress(0, 1));
        assertThat(IpAddress.parse("fe80::")).isEqualTo(new IpAddress(0xfe80L << 48, 0));
        assertThat(IpAddress.parse("1:2:3:4:5:6:7::"))
                .isEqualTo(new IpAddress(0x0001_0002_0003_0004L, 0x0005_0006_0007_0000L));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "example.com",
                "localhost",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "01.2.3.4",
                "1.2.3.4 ",
                "-1.2.3.4",
                "1..2.3",
                ":",
                ":::",
                "1:::2",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "12345::",
                "1:2:3:4:5:6:7",
                "2001:db8::1:",
                "g::1",
                "[::1",
                "::ffff:1.2.3.256",
                "1:2:3:4:5:6:7:1.2.3.4"
            })
    void parse_notALiteralAddress_isNull(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @Test
    void parse_null_isNull() {
        assertThat(IpAddress.parse(null)).isNull();
    }

    @Test
    void contains_ipv4Range_holdsItsFirstAndLastAddressOnly() {
        Cidr range = Cidr.parse("40.92.0.0/15");

        assertThat(range.contains(IpAddress.parse("40.92.0.0"))).isTrue();
        assertThat(range.contains(IpAddress.parse("40.93.255.255"))).isTrue();
        assertThat(range.contains(IpAddress.parse("40.91.255.255"))).isFalse();
        assertThat(range.contains(IpAddress.parse("40.94.0.0"))).isFalse();
    }

    @Test
    void contains_ipv6Range_holdsItsFirstAndLastAddressOnly() {
        Cidr range = Cidr.parse("2a01:111:f400::/48");

        assertThat(range.contains(IpAddress.parse("2a01:111:f400::"))).isTrue();
        assertThat(range.contains(IpAddress.parse("2a01:111:f400:ffff:ffff:ffff:ffff:ffff")))
                .isTrue();
        assertThat(range.contains(IpAddress.parse("2a01:111:f3ff:ffff:ffff:ffff:ffff:ffff")))
                .isFalse();
        assertThat(range.contains(IpAddress.parse("2a01:111:f401::"))).isFalse();
    }

    @Test
    void contains_prefixAcrossTheHalves_comparesBothHalves() {
        Cidr range = Cidr.parse("2001:db8:0:0:8000::/65");

        assertThat(range.contains(IpAddress.parse("2001:db8::8000:0:0:1"))).isTrue();
        assertThat(range.contains(IpAddress.parse("2001:db8::7fff:ffff:ffff:ffff"))).isFalse();
    }

    @Test
    void contains_ipv4Range_neverHoldsAnIpv6AddressOutsideTheMappedSpace() {
        Cidr everyIpv4 = Cidr.parse("0.0.0.0/0");

        assertThat(everyIpv4.contains(IpAddress.parse("255.255.255.255"))).isTrue();
        assertThat(everyIpv4.contains(IpAddress.parse("::"))).isFalse();
        assertThat(everyIpv4.contains(IpAddress.parse("2001:db8::1"))).isFalse();
    }

    @Test
    void contains_everyAddressRange_holdsBothFamilies() {
        Cidr everything = Cidr.parse("::/0");

        assertThat(everything.contains(IpAddress.parse("192.0.2.1"))).isTrue();
        assertThat(everything.contains(IpAddress.parse("2001:db8::1"))).isTrue();
    }

    @Test
    void parse_singleAddress_isARangeOfOne() {
        assertThat(Cidr.parse("192.0.2.7")).isEqualTo(Cidr.parse("192.0.2.7/32"));
        assertThat(Cidr.parse("2001:db8::7")).isEqualTo(Cidr.parse("2001:db8::7/128"));
        assertThat(Cidr.parse("192.0.2.7").contains(IpAddress.parse("192.0.2.8"))).isFalse();
    }

    @Test
    void parse_mappedIpv6Range_matchesIpv4Addresses() {
        Cidr range = Cidr.parse("::ffff:192.0.2.0/120");

        assertThat(range).isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(range.contains(IpAddress.parse("192.0.2.200"))).isTrue();
    }

    @Test
    void parse_badRanges_areRefusedNamingTheProblem() {
        assertThatThrownBy(() -> Cidr.parse("40.92.0.1/15"))
                .hasMessageContaining("'40.92.0.1/15' has bits set past its /15 prefix");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/33"))
                .hasMessageContaining("not a prefix length from 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/129"))
                .hasMessageContaining("not a prefix length from 0 to 128");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/"))
                .hasMessageContaining("'/' is not a prefix length");
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/-1"))
                .hasMessageContaining("'/-1' is not a prefix length");
        assertThatThrownBy(() -> Cidr.parse("mail.example.com/24"))
                .hasMessageContaining("'mail.example.com' is not an IPv4 or IPv6 address");
    }

    @Test
    void find_overlappingRanges_answersTheEarliest() {
        AddressTable table =
                new AddressTable(
                        List.of(
                                Cidr.parse("192.0.2.128/25"),
                                Cidr.parse("192.0.2.0/24"),
                                Cidr.parse("192.0.2.200/32")));

        assertThat(table.find(IpAddress.parse("192.0.2.200"))).isEqualTo(0);
        assertThat(table.find(IpAddress.parse("192.0.2.5"))).isEqualTo(1);
        assertThat(table.find(IpAddress.parse("198.51.100.1"))).isEqualTo(-1);
    }

    @Test
    void find_repeatedRange_answersItsFirstPosition() {
        AddressTable table =
                new AddressTable(
                        List.of(
                                Cidr.parse("198.51.100.0/24"),
                                Cidr.parse("192.0.2.0/24"),
                                Cidr.parse("192.0.2.0/24")));

        assertThat(table.find(IpAddress.parse("192.0.2.9"))).isEqualTo(1);
    }

    @Test
    void find_bothFamiliesInOneTable_answersEach() {
        AddressTable table =
                new AddressTable(
                        List.of(Cidr.parse("2a01:111:f403::/48"), Cidr.parse("104.47.0.0/17")));

        assertThat(table.find(IpAddress.parse("2a01:111:f403:c000::1"))).isEqualTo(0);
        assertThat(table.find(IpAddress.parse("104.47.127.255"))).isEqualTo(1);
        assertThat(table.find(IpAddress.parse("104.47.128.0"))).isEqualTo(-1);
    }

    @Test
    void find_manyRanges_findsEachOfThem() {
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ranges.add(Cidr.parse("10." + (i / 256) + "." + (i % 256) + ".0/" + (24 + i % 3)));
        }
        AddressTable table = new AddressTable(ranges);

        assertThat(table.find(IpAddress.parse("10.3.7.1"))).isEqualTo(3 * 256 + 7);
        assertThat(table.find(IpAddress.parse("10.19.135.0"))).isEqualTo(19 * 256 + 135);
        assertThat(table.find(IpAddress.parse("10.20.0.0"))).isEqualTo(-1);
    }

    @Test
    void find_emptyTable_findsNothing() {
        assertThat(new AddressTable(List.of()).find(IpAddress.parse("192.0.2.1"))).isEqualTo(-1);
    }
}
