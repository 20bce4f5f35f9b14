package io.github.emailtracking.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PunycodeTest {

    @ParameterizedTest
    @CsvSource({
        "bcher-kva, bücher",
        "mnchen-3ya, münchen",
        "strae-oqa, straße",
        "r8jz45g, \u4F8B\u3048",
        "zckzah, \u30C6\u30B9\u30C8",
        "1-zhc, \u05D01",
        "wgbh1cxb, \u0645\u0635\u0631\u064E",
        "hqbpi0jcw, \u078B\u07A8\u0788\u07AC\u0780\u07A8",
        "BCHER-KVA, BüCHER"
    })
    void decode_validPunycode_givesItsLetters(String encoded, String letters) {
        assertThat(Punycode.decode(encoded)).contains(letters);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bcher-kv", "-abc", "b\u00FCcher-kva", "a-9999999999", "zzzzzzzzzzzz"})
    void decode_textThatIsNoPunycode_isEmpty(String encoded) {
        assertThat(Punycode.decode(encoded)).isEmpty();
    }
}
