package io.github.emailtracking.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JSON request bodies into typed records within fixed limits, and writes JSON answers.
 * Thread-safe.
 */
final class JsonBodies {

    /** Deepest nesting accepted; the documented bodies are one level deep. */
    static final int MAX_NESTING_DEPTH = 32;

    /** Most digits a number in a JSON body may have. */
    static final int MAX_NUMBER_LENGTH = 64;

    /**
     * Longest field name a JSON body may have, in bytes of UTF-8 once its escapes are read; no
     * field of a route comes close.
     */
    static final int MAX_NAME_LENGTH = 1_000;

    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    JsonBodies(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        StreamReadConstraints constraints =
                StreamReadConstraints.builder()
                        .maxDocumentLength(maxBodyBytes)
                        .maxStringLength(maxBodyBytes)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build();
        JsonFactory factory =
                JsonFactory.builder()
                        .streamReadConstraints(constraints)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
        this.mapper =
                new ObjectMapper(factory)
                        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        // A number such as 2.0000000000000001 is not whole, though a double is.
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        // A number or a boolean where text belongs is a mistake worth telling, not a string.
        for (CoercionInputShape shape :
                List.of(
                        CoercionInputShape.Integer,
                        CoercionInputShape.Float,
                        CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /**
     * The body of {@code POST /reply/{trackingId}} and {@code POST /reply}; the last three fields
     * are the reply's own Message-ID and its threading headers.
     */
    record ReplyBody(
            String replyMessage,
            JsonNode attachmentCount,
            String messageId,
            String inReplyTo,
            String references) {}

    /** The body of {@code POST /bounce/{trackingId}}. */
    record BounceBody(String type, String reason) {}

    /** The body of {@code POST /erase}. */
    record EraseBody(String recipientEmail) {}

    /** The body of {@code POST /campaigns}. */
    record CampaignBody(String campaignName) {}

    /** The body of {@code POST /campaigns/{campaignId}/emails}. */
    record EmailBody(
            String recipientEmail,
            String sentAt,
            List<String> links,
            String html,
            String messageId) {}

    /**
     * Reads the request body as {@code type}. An empty body, or JSON {@code null}, reads as a
     * record of nulls.
     *
     * @throws PayloadTooLargeException if the body is over the limit
     * @throws InvalidRequestException if it is not a JSON object of the right shape
     */
    <T extends Record> T read(HttpServletRequest request, Class<T> type) throws IOException {
        BodyEncoding.requireJson(request);
        byte[] body = readBounded(request);
        if (isBlank(body)) {
            return mapper.readValue("{}", type);
        }
        try (JsonParser parser = JsonText.parser(mapper.getFactory(), body)) {
            JsonNode tree = mapper.readTree(parser);
            if (tree == null || tree.isMissingNode()) {
                // White space alone, in an encoding of more than one byte or after a byte order
                // mark: a body of nothing, as it is in plain UTF-8.
                return mapper.readValue("{}", type);
            }
            if (parser.nextToken() != null) {
                throw new InvalidRequestException("request body goes on after its JSON value");
            }
            requireUnicode(tree, null);
            // A flow whose body expression came out empty sends null: a body of nothing.
            T value = mapper.treeToValue(tree, type);
            return value != null ? value : mapper.readValue("{}", type);
        } catch (CharacterCodingException | CharConversionException e) {
            throw new InvalidRequestException(JsonText.notValidText());
        } catch (MismatchedInputException e) {
            throw new InvalidRequestException(wrongShape(e));
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException(
                    "request body goes past a limit: at most "
                            + MAX_NESTING_DEPTH
                            + " levels of nesting, numbers of at most "
                            + MAX_NUMBER_LENGTH
                            + " digits, and field names of at most "
                            + String.format(Locale.ROOT, "%,d", MAX_NAME_LENGTH)
                            + " bytes in UTF-8");
        } catch (StreamReadException e) {
            throw new InvalidRequestException(notJson(e));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("request body is not valid JSON");
        } catch (NumberFormatException e) {
            // The parser throws it for a number whose exponent no decimal can hold, such as
            // 1E-9999999999.
            throw new InvalidRequestException(
                    "request body holds a number whose exponent is out of range");
        }
    }

    /** Writes {@code value} as JSON to {@code out}. */
    void write(OutputStream out, Object value) throws IOException {
        mapper.writeValue(out, value);
    }

    private byte[] readBounded(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new PayloadTooLargeException("request body", maxBodyBytes);
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(maxBodyBytes);
        if (body.length == maxBodyBytes && in.read() >= 0) {
            throw new PayloadTooLargeException("request body", maxBodyBytes);
        }
        UnreadBodies.requireUnreadBefore(request, body.length);
        return body;
    }

    /**
     * Refuses text that is not Unicode: half of a UTF-16 surrogate pair, which a JSON escape can
     * make and which no store keeps as it was sent.
     */
    private static void requireUnicode(JsonNode node, String field) {
        if (node.isTextual()) {
            Unicode.requireWhole(
                    node.textValue(), field == null ? "the request body" : "field '" + field + "'");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            Unicode.requireWhole(entry.getKey(), "a field name");
            String name = field == null ? entry.getKey() : field + "." + entry.getKey();
            requireUnicode(entry.getValue(), name);
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            requireUnicode(node.get(i), (field == null ? "" : field) + "[" + i + "]");
        }
    }

    /** Says what is wrong with a body that is not JSON, without quoting it. */
    private static String notJson(StreamReadException e) {
        return namesAFieldTwice(e)
                ? "request body names a field twice"
                : "request body is not valid JSON";
    }

    /** Returns whether the reader refused a body for naming a field of one object twice. */
    static boolean namesAFieldTwice(Exception e) {
        return e instanceof StreamReadException refused
                && refused.getOriginalMessage() != null
                && refused.getOriginalMessage().startsWith("Duplicate field '");
    }

    /** Returns whether the body holds white space alone, after a UTF-8 byte order mark if any. */
    private static boolean isBlank(byte[] body) {
        for (int i = JsonText.utf8ByteOrderMarkLength(body); i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Names the field whose value has the wrong type, without naming any Java type. */
    private static String wrongShape(MismatchedInputException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return "request body must be a JSON object";
        }
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() == null) {
                field.append('[').append(ref.getIndex()).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return "field '" + field + "' has the wrong type: " + expected(e.getTargetType());
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "expected a string";
        }
        if (type != null && List.class.isAssignableFrom(type)) {
            return "expected a list";
        }
        return "see the API documentation";
    }
}
