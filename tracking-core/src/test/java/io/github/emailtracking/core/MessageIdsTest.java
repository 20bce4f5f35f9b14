package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdsTest {

    @Test
    void parents_nearestFirst_inReplyToThenReferencesFromTheEnd() {
        assertThat(MessageIds.parents("<c@x.example>", "<a@x.example> <b@x.example>"))
                .containsExactly("<c@x.example>", "<b@x.example>", "<a@x.example>");
    }

    @Test
    void parents_skipIdsThatNoTrackedEmailCanHave() {
        String references =
                "<a\u0000b@x.example> <caf\u00e9@x.example> <@x.example> <ok@x.example>";

        assertThat(MessageIds.parents("<in reply@x.example>", references))
                .containsExactly("<ok@x.example>");
    }

    @Test
    void parents_loneIdWithoutBrackets_isReadAsOne() {
        assertThat(MessageIds.parents(" c@x.example ", "a@x.example"))
                .containsExactly("<c@x.example>", "<a@x.example>");
        assertThat(MessageIds.parents("a@x.example b@x.example", null)).isEmpty();
    }

    @Test
    void normalize_addsBrackets_andRefusesWhatCannotBeAMessageId() {
        assertThat(MessageIds.normalize(" id@x.example ", "messageId")).isEqualTo("<id@x.example>");
        assertThatThrownBy(() -> MessageIds.normalize("<a\u0000b@x.example>", "messageId"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("messageId must look like <unique-part@domain>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<a.b-c_d@x.example>",
                "a+b=c/d@x.example",
                "<a!#$%&'*+/=?^_`{|}~-b@x>",
                "<id@[192.0.2.1]>",
                "<id@[IPv6:2001:db8::1]>"
            })
    void forNewEmail_idsAsRfc5322WritesThem_areTaken(String value) {
        String bracketed = value.startsWith("<") ? value : "<" + value + ">";

        assertThat(MessageIds.forNewEmail(value, "messageId")).isEqualTo(bracketed);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<a123@>",
                "<@x.example>",
                "<a@b@c>",
                "<a(1)@c>",
                "<a,1@c>",
                "<a\"1@c>",
                "<a\\1@b>",
                "<.a@b>",
                "<a.@b>",
                "<a..b@b>",
                "<a@b..c>",
                "<a@[x]y]>",
                "<a@[x\\]>",
                "<a@[]>"
            })
    void forNewEmail_idsOtherwiseWritten_areRefused(String value) {
        assertThatThrownBy(() -> MessageIds.forNewEmail(value, "messageId"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("messageId must look like <unique-part@domain>");
    }

    @Test
    void normalize_keepsTheLenientShapeThatRepliesArriveWith() {
        assertThat(MessageIds.normalize("<\"quoted,part\"@x.example>", "messageId"))
                .isEqualTo("<\"quoted,part\"@x.example>");
    }
}
