package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.InvalidRequestException;
import org.junit.jupiter.api.Test;

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
}
