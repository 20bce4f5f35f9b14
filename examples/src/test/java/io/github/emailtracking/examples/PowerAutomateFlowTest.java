package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.servlet.Tokens;
import io.github.emailtracking.servlet.TrackingServlet;
import io.github.emailtracking.servlet.TrackingTestServer;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the requests that the Power Automate flow definition sends, built from its own HTTP
 * actions with sample trigger data, against a real tracker: the flow and the routes agree.
 *
 * <p>Every {@code @{...}} expression of those actions must have a sample value here, so that a
 * change to the flow that this test does not know about fails it.
 */
class PowerAutomateFlowTest {

    private static final Path FLOW = Path.of("power-automate/reply-tracking-flow.json");
    private static final Pattern PARAMETER = Pattern.compile("parameters\\('([^']+)'\\)");
    private static final Pattern EXPRESSION = Pattern.compile("@\\{([^}]*)}");
    private static final byte[] FILE =
            "%PDF-1.7 a signed contract".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private TrackingTestServer server;
    private EmailTracker tracker;

    @BeforeEach
    void startTracker() throws Exception {
        tracker =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl("https://track.example.com/api/track")
                        .build();
        server =
                TrackingTestServer.start(
                        TrackingServlet.builder()
                                .tracker(tracker)
                                .hmacSecret(Tokens.SECRET)
                                .webhookSecret("a flow secret of some length")
                                .build());
    }

    @AfterEach
    void stopTracker() throws Exception {
        server.close();
    }

    @Test
    void flowRequests_areAccepted_andRetriesCountOnce() throws Exception {
        JsonNode reply = action("Post_the_reply");
        JsonNode attachment = action("Post_the_attachment");
        RegisteredEmail email = registerEmail();
        Map<String, String> samples = samples(email);

        HttpResponse<String> replied = send(reply, samples);
        HttpResponse<String> replyRetry = send(reply, samples);
        samples.put(
                "body('Post_the_reply')?['trackingId']",
                json.readTree(replied.body()).get("trackingId").asText());
        HttpResponse<String> uploaded = send(attachment, samples);
        HttpResponse<String> uploadRetry = send(attachment, samples);

        assertThat(List.of(replied, replyRetry, uploaded, uploadRetry))
                .allSatisfy(
                        response ->
                                assertThat(response.statusCode())
                                        .as(response.body())
                                        .isEqualTo(200));
        var status = store.status(email.trackingId(), Page.NEWEST).orElseThrow();
        assertThat(status.counters().replied()).isTrue();
        assertThat(status.attachments())
                .singleElement()
                .satisfies(
                        file -> {
                            assertThat(file.fileName()).isEqualTo("signed-contract.pdf");
                            assertThat(file.fileSize()).isEqualTo(FILE.length);
                        });
        var report =
                tracker.campaignReport(
                                Viewer.owner("alice"),
                                store.findEmail(email.trackingId())
                                        .orElseThrow()
                                        .campaignId()
                                        .value(),
                                java.time.ZoneOffset.UTC)
                        .orElseThrow();
        assertThat(report.totals().timeline().get(0).replies()).isEqualTo(1);
    }

    @Test
    void flowRequests_useOnlyExpressionsThisTestKnows() throws Exception {
        Set<String> used = new TreeSet<>();
        for (String name : List.of("Post_the_reply", "Post_the_attachment")) {
            collectExpressions(action(name).get("inputs"), used);
        }

        assertThat(samples(registerEmail()).keySet()).isEqualTo(used);
    }

    @Test
    void everyParameterTheFlowReads_isDeclared() throws Exception {
        Set<String> read = new TreeSet<>();
        Matcher matcher = PARAMETER.matcher(Files.readString(FLOW));
        while (matcher.find()) {
            read.add(matcher.group(1));
        }
        Set<String> declared = new TreeSet<>();
        flow().get("parameters").fieldNames().forEachRemaining(declared::add);

        assertThat(read).contains("$authentication", "trackingBaseUrl", "webhookSecret");
        assertThat(declared).containsAll(read);
    }

    @Test
    void replysAttachmentCount_countsTheFilesTheFlowPosts_inlineImagesAndItemsLeftOut()
            throws Exception {
        JsonNode reply = action("Post_the_reply");
        JsonNode posting = flow().findValue("Post_each_attachment");
        String postedFiles = posting.get("foreach").asText().substring(1);

        assertThat(reply.at("/inputs/body/attachmentCount").asText())
                .isEqualTo("@{length(" + postedFiles + ")}");
        assertThat(postedFiles).isEqualTo("body('Files_to_post')");
        assertThat(flow().findValue("Files_to_post").at("/inputs/where").asText())
                .isEqualTo(
                        "@and(not(equals(item()?['isInline'], true)),"
                                + " not(empty(item()?['contentBytes'])))");
        assertThat(reply.at("/runAfter").has("Files_to_post")).isTrue();
        assertThat(posting.at("/runAfter").has("Post_the_reply")).isTrue();
    }

    @Test
    void aReplyToAnUntrackedMail_isA404_whichTheFlowEndsQuietly() throws Exception {
        Map<String, String> samples = samples(registerEmail());
        samples.put("first(body('Find_In_Reply_To'))?['value']", "<someone-else@x.example>");
        samples.put("first(body('Find_References'))?['value']", "");

        HttpResponse<String> response = send(action("Post_the_reply"), samples);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(
                        flow().at(
                                        "/actions/Is_it_a_reply/actions/Was_the_mail_tracked"
                                                + "/expression/equals/1")
                                .asInt())
                .isEqualTo(404);
    }

    private RegisteredEmail registerEmail() {
        String campaignId = tracker.createCampaign("alice", "Contracts").id().value();
        return tracker.registerEmail(
                Viewer.owner("alice"), campaignId, NewEmail.to("customer@example.com", List.of()));
    }

    /** Sample values for each expression, as the trigger would give them for one reply. */
    private Map<String, String> samples(RegisteredEmail email) {
        Map<String, String> samples = new HashMap<>();
        samples.put("parameters('trackingBaseUrl')", server.baseUrl());
        samples.put("parameters('webhookSecret')", "a flow secret of some length");
        samples.put("first(body('Find_In_Reply_To'))?['value']", email.messageId());
        samples.put(
                "first(body('Find_References'))?['value']",
                "<first@x.example> " + email.messageId());
        samples.put("triggerOutputs()?['body/internetMessageId']", "<AAMkADk0@outlook.example>");
        samples.put(
                "triggerOutputs()?['body/bodyPreview']", "Thanks, the signed copy is attached.");
        samples.put("length(body('Files_to_post'))", "1");
        samples.put("items('Post_each_attachment')?['name']", "signed-contract.pdf");
        samples.put("items('Post_each_attachment')?['contentType']", "application/pdf");
        samples.put(
                "items('Post_each_attachment')?['contentBytes']",
                Base64.getEncoder().encodeToString(FILE));
        samples.put("body('Post_the_reply')?['trackingId']", "not-known-before-the-reply");
        return samples;
    }

    private HttpResponse<String> send(JsonNode action, Map<String, String> samples)
            throws Exception {
        JsonNode inputs = action.get("inputs");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(fill(inputs.get("uri").asText(), samples)));
        Iterator<Map.Entry<String, JsonNode>> headers = inputs.get("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            request.header(header.getKey(), fill(header.getValue().asText(), samples));
        }
        ObjectNode body = json.createObjectNode();
        inputs.get("body")
                .fields()
                .forEachRemaining(
                        field ->
                                body.put(field.getKey(), fill(field.getValue().asText(), samples)));
        request.method(
                inputs.get("method").asText(),
                HttpRequest.BodyPublishers.ofString(body.toString()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String fill(String template, Map<String, String> samples) {
        Matcher matcher = EXPRESSION.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = samples.get(matcher.group(1));
            if (value == null) {
                throw new AssertionError("no sample value for the expression " + matcher.group(1));
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(filled).toString();
    }

    private static void collectExpressions(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            Matcher matcher = EXPRESSION.matcher(node.asText());
            while (matcher.find()) {
                into.add(matcher.group(1));
            }
        }
        node.forEach(child -> collectExpressions(child, into));
    }

    private JsonNode action(String name) throws Exception {
        JsonNode found = flow().findValue(name);
        assertThat(found).as("action %s in the flow", name).isNotNull();
        assertThat(found.get("type").asText()).isEqualTo("Http");
        return found;
    }

    private JsonNode flow() throws Exception {
        return json.readTree(Files.readString(FLOW));
    }
}
