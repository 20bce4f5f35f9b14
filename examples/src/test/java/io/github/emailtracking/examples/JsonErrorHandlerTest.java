package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON body of what Jetty answers itself: a refusal says why, a server error does not. */
class JsonErrorHandlerTest {

    @Test
    void body_refusedRequest_namesTheStatusAndJettysReason() {
        String body = text(JsonErrorHandler.body(400, "Ambiguous URI path separator"));

        assertThat(body)
                .isEqualTo(
                        "{\"success\":false,\"message\":\"Bad Request: Ambiguous URI path"
                                + " separator\"}");
    }

    @Test
    void body_serverError_namesOnlyTheStatus_neverAnExceptionClass() {
        String body = text(JsonErrorHandler.body(500, "org.eclipse.jetty.io.EofException"));

        assertThat(body).isEqualTo("{\"success\":false,\"message\":\"Server Error\"}");
    }

    @Test
    void body_refusalWhileStopping_saysToSendTheRequestAgain() {
        String body = text(JsonErrorHandler.body(503, JsonErrorHandler.STOPPING));

        assertThat(body)
                .isEqualTo(
                        "{\"success\":false,\"message\":\"Service Unavailable: the server is"
                                + " stopping; send the request again\"}");
    }

    @Test
    void body_longReason_isCutShort() {
        String body = text(JsonErrorHandler.body(431, "x".repeat(500)));

        assertThat(body).contains("x".repeat(120)).doesNotContain("x".repeat(121));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
