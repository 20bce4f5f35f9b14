package io.github.emailtracking.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.Range;
import org.jsoup.parser.ParseSettings;
import org.jsoup.parser.Parser;

/**
 * The links and charset declarations inside an Outlook conditional comment, {@code <!--[if
 * mso]>...<![endif]-->}, whose content Outlook renders as HTML while every other client skips it.
 *
 * <p>The content is parsed as an HTML fragment only to find where each {@code href} value, and each
 * value of a {@code <meta>} that declares a charset, is; the new value replaces exactly those
 * characters and every other character stays as the sender wrote it. Writing the parsed fragment
 * back instead would not do: a conditional comment often holds only part of a structure (a table
 * opened in one comment and closed in a later one), and the parser would close, move or drop those
 * tags and break the layout Outlook sees.
 */
final class ConditionalComment {

    private static final String CONDITION_END = "]>";

    private ConditionalComment() {}

    /** Returns whether a comment's data is a condition with content, like {@code [if mso]>...}. */
    static boolean isConditional(String data) {
        return data.regionMatches(true, 0, "[if", 0, 3) && data.contains(CONDITION_END);
    }

    /**
     * Returns the comment's data with the href of each tracked link pointing at its click URL.
     *
     * @throws io.github.emailtracking.api.InvalidRequestException if a tag in it may have lost
     *     attributes to the parser, as one outside a comment is refused
     */
    static String rewriteLinks(String data, LinkRewrite rewrite) {
        int contentStart = data.indexOf(CONDITION_END) + CONDITION_END.length();
        String content = data.substring(contentStart);
        Map<Integer, Splice> splices = new TreeMap<>();

        Document shell = Document.createShell("");
        Parser parser = Parser.htmlParser().setTrackPosition(true);
        for (Node node : parser.parseFragmentInput(content, shell.body(), "")) {
            node.nodeStream(Element.class)
                    .forEach(
                            element -> {
                                if (HtmlInstrumenter.lostAttributes(element, content)) {
                                    throw HtmlInstrumenter.attributesLost();
                                }
                                rewrite.requireNoPixelOfAnEmail(element);
                                // Before the link's splice, which may change the values
                                // that the source is compared with.
                                utf8Splices(content, element)
                                        .forEach(s -> splices.putIfAbsent(s.start(), s));
                                splice(content, element, rewrite)
                                        .ifPresent(s -> splices.putIfAbsent(s.start(), s));
                            });
        }

        requireNoPixelInAnyTag(content, rewrite);
        return data.substring(0, contentStart) + apply(content, splices.values());
    }

    /**
     * Fails when a tag of the content, read as it is written, holds a pixel the tracker made for an
     * email. The HTML parser drops a tag that stands outside its structure, such as a table cell
     * whose table an earlier comment opens, while Outlook, reading every comment together, renders
     * it; a parser that keeps every tag where it stands sees it.
     */
    private static void requireNoPixelInAnyTag(String content, LinkRewrite rewrite) {
        Parser asWritten = Parser.xmlParser().settings(ParseSettings.htmlDefault);
        asWritten
                .parseInput(content, "")
                .getAllElements()
                .forEach(rewrite::requireNoPixelOfAnEmail);
    }

    private static Optional<Splice> splice(String content, Element element, LinkRewrite rewrite) {
        Attribute href = element.attribute("href");
        if (href == null || !readsBackFromSource(content, href)) {
            return Optional.empty();
        }
        // Once the href read back from the source, so that its value is the one a browser follows.
        HtmlInstrumenter.replaceLoneSurrogates(element);
        return rewrite.clickUrlOf(element).map(url -> valueSplice(content, href, url));
    }

    /**
     * Returns the splices that make a {@code <meta>} declaring another charset declare UTF-8, as
     * one outside a comment is made to: Outlook, which reads the comment, gets the body as UTF-8.
     */
    private static List<Splice> utf8Splices(String content, Element element) {
        List<Splice> splices = new ArrayList<>(2);
        for (Attribute declared : HtmlInstrumenter.utf8Declarations(element)) {
            Attribute written = element.attribute(declared.getKey());
            if (written != null && readsBackFromSource(content, written)) {
                splices.add(valueSplice(content, written, declared.getValue()));
            }
        }
        return splices;
    }

    /** Returns the splice that gives the attribute the value, quoted as the source was. */
    private static Splice valueSplice(String content, Attribute attribute, String newValue) {
        Range value = attribute.sourceRange().valueRange();
        boolean quoted = value.startPos() > 0 && isQuote(content.charAt(value.startPos() - 1));
        return new Splice(value.startPos(), value.endPos(), attributeText(newValue, quoted));
    }

    /**
     * Returns whether the attribute's recorded source characters decode to its value. The parser
     * copies an element when it repairs misnested tags, and a copy must never move a splice.
     */
    private static boolean readsBackFromSource(String content, Attribute attribute) {
        Range.AttributeRange range = attribute.sourceRange();
        if (!range.isTracked() || !range.valueRange().isTracked()) {
            return false;
        }
        Range value = range.valueRange();
        String source = content.substring(value.startPos(), value.endPos());
        return Parser.unescapeEntities(source, true).equals(attribute.getValue());
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    /** Returns the value escaped for any attribute quote, quoted when the source was not. */
    private static String attributeText(String value, boolean quoted) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        if (!quoted) {
            out.append('"');
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        if (!quoted) {
            out.append('"');
        }
        return out.toString();
    }

    private static String apply(String content, Iterable<Splice> splices) {
        StringBuilder out = new StringBuilder(content.length() + 256);
        int copied = 0;
        for (Splice splice : splices) {
            out.append(content, copied, splice.start()).append(splice.text());
            copied = splice.end();
        }
        return out.append(content, copied, content.length()).toString();
    }

    /** Characters {@code [start, end)} of the content, to be replaced by {@code text}. */
    private record Splice(int start, int end, String text) {}
}
