package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.core.RegisteredEmail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests to every route, from a fixed seed so that a failure repeats: none
 * may get a 5xx, and no answer may carry a stack trace, a class name or SQL.
 */
class HostileInputTest extends RouteTestSupport {

    private static final long SEED = 20261204L;
    private static final int REQUESTS = 3000;

    private static final String[] METHODS = {
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "GET", "POST", "POST"
    };
    private static final String[] ROUTES = {
        "/open/",
        "/click/",
        "/reply/",
        "/reply-attachment/",
        "/reminder-sent/",
        "/status/",
        "/campaign/",
        "/campaigns",
        "/campaigns/",
        "/",
        "/open",
        "/click/x/y/",
        "/campaigns/x/"
    };
    private static final String[] CONTENT_TYPES = {
        null,
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "application/x-www-form-urlencoded",
        "garbage/\u00ff",
        "multipart/mixed; boundary=\"a\""
    };
    private static final String[] LEAKS = {
        "Exception", "\tat ", "java.", "org.eclipse", "com.fasterxml", "SQL", "jdbc"
    };

    private final Random random = new Random(SEED);

    @Test
    void malformedRequests_neverGet5xxOrLeakInternals() throws IOException {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < REQUESTS; i++) {
            String head = requestHead(email);
            byte[] body = body(email);
            String request = head.replace("{length}", String.valueOf(declaredLength(body)));
            RawHttp.Answer answer;
            try {
                answer = RawHttp.send(server.port(), request, body);
            } catch (IOException e) {
                failures.add(
                        "#" + i + " no answer (" + e.getMessage() + ") to " + firstLine(request));
                continue;
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.status() >= 500 || leaks(answer.text())) {
                failures.add(
                        "#"
                                + i
                                + " "
                                + answer.status()
                                + " to "
                                + firstLine(request)
                                + ": "
                                + answer.text());
            }
        }

        System.out.println("Answers to " + REQUESTS + " hostile requests by status: " + statuses);
        assertThat(failures).as("seed %d", SEED).isEmpty();
    }

    private String requestHead(RegisteredEmail email) {
        String method = pick(METHODS);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(TrackingTestServer.MOUNT).append(pick(ROUTES));
        head.append(random.nextInt(3) == 0 ? email.trackingId().value() : randomPathText());
        if (random.nextBoolean()) {
            head.append('?').append(randomQuery());
        }
        head.append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        String type = pick(CONTENT_TYPES);
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        if (random.nextInt(3) == 0) {
            head.append("Authorization: ").append(randomAuthorization()).append("\r\n");
        }
        if (!method.equals("GET") && !method.equals("HEAD") || random.nextInt(5) == 0) {
            head.append("Content-Length: {length}\r\n");
        }
        return head.append("\r\n").toString();
    }

    private String randomPathText() {
        String[] pieces = {
            "abc",
            "%2e%2e",
            "..",
            "%00",
            "%ff",
            "%E2%82%AC",
            "x".repeat(70),
            "a-b_c",
            "%",
            "%zz",
            ";jsessionid=1",
            "%2F",
            "~",
            "",
            "0",
            "\u00e9",
            "*"
        };
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            text.append(pick(pieces));
        }
        return text.toString().replace(" ", "");
    }

    private String randomQuery() {
        String[] names = {"redirect", "sig", "limit", "offset", "tz", "x", "", "redirect"};
        String[] values = {
            "https%3A%2F%2Fexample.com%2Fproduct",
            "javascript%3Aalert(1)",
            "%2F%2Fevil",
            "-1",
            "99999999999999999999",
            "Europe%2FBerlin",
            "Mars%2FBase",
            "%",
            "%zz",
            "",
            "%0d%0a",
            "A".repeat(300),
            "%E2%82",
            "1",
            "0"
        };
        StringBuilder query = new StringBuilder();
        int pairs = 1 + random.nextInt(4);
        for (int i = 0; i < pairs; i++) {
            if (i > 0) {
                query.append('&');
            }
            query.append(pick(names)).append('=').append(pick(values));
        }
        return query.toString();
    }

    private String randomAuthorization() {
        String[] values = {
            "Bearer",
            "Bearer ",
            "Bearer a.b.c",
            "Bearer " + Tokens.unsigned("alice"),
            "Bearer " + Tokens.expired("alice"),
            "Basic Zm9vOmJhcg==",
            "Bearer " + "x".repeat(9000),
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.",
            "bearer " + Tokens.owner("alice"),
            "Bearer " + Tokens.owner("alice")
        };
        return pick(values);
    }

    private byte[] body(RegisteredEmail email) {
        String[] jsons = {
            "",
            "{",
            "}",
            "[]",
            "null",
            "{\"replyMessage\":",
            "{\"attachmentCount\":1e99999}",
            "{\"attachmentCount\":\"\\ud800\"}",
            "[".repeat(2000),
            "{\"a\":" + "1".repeat(500) + "}",
            "{\"campaignName\":\"" + "n".repeat(300) + "\"}",
            "{\"recipientEmail\":[1,2]}",
            "{\"links\":{\"a\":1}}",
            "\u0000\u0001\u0002",
            "{\"replyMessage\":\"ok\"} {}",
            "--xyz\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"../../x\"\r\n\r\n"
                    + "ab",
            "--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n" + "H: v\r\n".repeat(3000),
            "--xyz--\r\n",
            "--a\r\n\r\n--a--"
        };
        if (random.nextInt(4) == 0) {
            byte[] bytes = new byte[random.nextInt(4096)];
            random.nextBytes(bytes);
            return bytes;
        }
        return pick(jsons).getBytes(StandardCharsets.UTF_8);
    }

    private long declaredLength(byte[] body) {
        return switch (random.nextInt(8)) {
            case 0 -> Math.max(0, body.length - 1 - random.nextInt(Math.max(1, body.length)));
            case 1 -> body.length + 1 + random.nextInt(100);
            case 2 -> 30_000_000_000L;
            default -> body.length;
        };
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static boolean leaks(String answer) {
        String body =
                answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n")) : "";
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String request) {
        int end = request.indexOf("\r\n");
        return end < 0 ? request : request.substring(0, Math.min(end, 200));
    }
}
