package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What each address policy keeps of an address as a host reports it. */
class IpAddressesTest {

    @Test
    void full_bracketedIpv6WithOrWithoutPort_isKeptWithoutBrackets() {
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "[2001:db8:cafe:1::17]"))
                .isEqualTo("2001:db8:cafe:1::17");
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "[2001:db8:cafe:1::17]:4711"))
                .isEqualTo("2001:db8:cafe:1::17");
    }

    @Test
    void truncated_bracketedIpv6_keepsItsSlash48() {
        assertThat(IpAddresses.apply(IpAddressPolicy.TRUNCATED, "[2001:db8:cafe:1::17]:4711"))
                .isEqualTo("2001:db8:cafe::");
        assertThat(IpAddresses.apply(IpAddressPolicy.TRUNCATED, "2001:db8:cafe:1::17"))
                .isEqualTo("2001:db8:cafe::");
    }

    @Test
    void ipv4WithPort_dropsThePort() {
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "192.0.2.77:8080"))
                .isEqualTo("192.0.2.77");
        assertThat(IpAddresses.apply(IpAddressPolicy.TRUNCATED, "192.0.2.77:8080"))
                .isEqualTo("192.0.2.0");
    }

    @Test
    void full_ipv6_isWrittenTheStandardWay() {
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "2001:0DB8:0:0:1:0:0:1"))
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "::ffff:192.0.2.1"))
                .isEqualTo("192.0.2.1");
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "::1")).isEqualTo("::1");
        assertThat(IpAddresses.apply(IpAddressPolicy.FULL, "fe80::1%eth0")).isEqualTo("fe80::1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "300.1.1.1",
                "1.2.3",
                "1.2.3.4.5",
                "01.2.3.4",
                "not-an-ip",
                "<script>",
                "2001:db8::g",
                "[2001:db8::1",
                "[2001:db8::1]x",
                "[2001:db8::1]:",
                "192.0.2.1:port",
                ""
            })
    void everyPolicy_unparseableAddress_keepsNothing(String address) {
        for (IpAddressPolicy policy : IpAddressPolicy.values()) {
            assertThat(IpAddresses.apply(policy, address)).as(policy.name()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(IpAddressPolicy.class)
    void anyPolicy_noAddress_keepsNothing(IpAddressPolicy policy) {
        assertThat(IpAddresses.apply(policy, null)).isNull();
    }

    @Test
    void none_validAddress_keepsNothing() {
        assertThat(IpAddresses.apply(IpAddressPolicy.NONE, "192.0.2.77")).isNull();
    }
}
