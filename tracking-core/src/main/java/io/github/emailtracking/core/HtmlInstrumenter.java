package io.github.emailtracking.core;

import io.github.emailtracking.api.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.DocumentType;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.ProcessingInstruction;
import org.jsoup.nodes.Range;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.parser.StreamParser;

/**
 * Makes an HTML mail body track itself: adds the open pixel as the last element of its body and
 * points every tracked link at its click URL. Thread-safe.
 *
 * <p>A body that ends inside a comment-like construct left open, such as {@code <!x} or {@code
 * <![if !mso]} with no {@code >}, keeps it as written after the pixel, whatever element it was in:
 * written where it was, it would make what follows it up to the next {@code >}, the pixel, part of
 * itself. Moved out of the elements left open around it, it still shows nothing.
 *
 * <p>A link is tracked when the {@code href} of an {@code <a>}, an {@code <area>} or an Outlook VML
 * shape ({@code <v:roundrect>} and the like) is an absolute http or https URL that a click may
 * redirect to. The original link is the attribute value with character references decoded once and
 * surrounding ASCII whitespace trimmed, as a browser reads it; nothing else in it changes. Links in
 * Outlook conditional comments ({@code <!--[if mso]>}) are tracked too.
 *
 * <p>A link is left as it is when it is not such a URL (in-page anchors, relative links, {@code
 * mailto:}, {@code tel:}, a URL the redirect would refuse), when it points elsewhere under the
 * tracker's public base URL, when the caller gives it no click URL (the tracker gives none when it
 * would be too long to follow), or when its element carries {@code data-no-track}, {@code
 * data-track="false"} or {@code data-unsubscribe}. These markers stay in the output: they do not
 * render. A body that holds a pixel, click link or unsubscribe link the tracker made, which can
 * only be another email's, is refused: opens and clicks of the new email would count for that one.
 *
 * <p>The output is the parsed body written back without pretty-printing, for sending as UTF-8: text
 * and whitespace as they were, characters outside ASCII as themselves, {@code &} in attribute
 * values as {@code &amp;}, and a {@code <meta>} that declares a charset declaring UTF-8. A fragment
 * stays a fragment; a document keeps its doctype as written. Comments are kept byte for byte but
 * for the tracked hrefs and the charset declarations of conditional ones, and so are the {@code
 * <![if !mso]>} forms that a parser reads as comments. A reference to half of a surrogate pair,
 * such as {@code &#xD800;}, becomes U+FFFD, as HTML reads it; but two references written one after
 * the other that together make a pair, such as {@code &#xD83D;&#xDE00;}, become the character they
 * pair into, where HTML reads two U+FFFD.
 *
 * <p>Note: tags come out as HTML parses them (lower-case names, quoted attributes, implied {@code
 * <tbody>}, misnested tags repaired), which renders the same, though badly nested input can come
 * out several times longer: HTML opens again, in every later block, the formatting elements left
 * open ({@code <b>}, {@code <font>} and the like), attributes and all; the parser opens again the
 * innermost 12 only, so that a link or a {@code <font>} left open outside 12 others is missing from
 * the later blocks, where a browser would open it again. A body that would build more elements than
 * half its length in characters and than {@link #MIN_ELEMENTS}, or come out more than {@link
 * #OUTPUT_GROWTH} times as long and longer than {@link #OUTPUT_FLOOR} characters, is refused, the
 * first while it is parsed. A body that holds the obsolete {@code <plaintext>} element, after which
 * a mail client shows the rest of the body, the pixel too, as text, or that is built of {@code
 * <frameset>}, which shows no body and so no pixel, is refused; so is one that browsers read
 * otherwise than the parser in a way that could hide the rest of it (a {@code <script>} in SVG, SVG
 * or MathML in a {@code <noscript>}, a {@code <style>} or another element whose content is text in
 * a {@code <select>}, a {@code <form>} opened inside another), and one whose output, read again, no
 * longer shows the pixel last in its body, such as a body ending inside a {@code <script>} after
 * {@code <!--<script>}.
 */
final class HtmlInstrumenter {

    /** Largest body accepted by default, in bytes of UTF-8: 2 MiB. */
    static final long DEFAULT_MAX_HTML_BYTES = 2L * 1024 * 1024;

    /**
     * How many times as long as it came a body may come out. Markup the parser implies and
     * rewritten links make a body longer: a body of nothing but the shortest links, eight times at
     * most. Formatting elements left open may repeat without end.
     */
    static final int OUTPUT_GROWTH = 16;

    /** How many characters any body may come out as, however short it came: 1 Mi. */
    static final long OUTPUT_FLOOR = 1024 * 1024;

    /**
     * How many elements any body may build, however short it came: enough for any real mail, a few
     * dozen MB while parsed.
     */
    static final long MIN_ELEMENTS = 200_000;

    /** How many attributes of one tag the parser keeps; it drops any after them. */
    static final int MAX_ATTRIBUTES = 512;

    /** The charset a Content-Type's value declares, spaces allowed around its '=', as HTML does. */
    private static final Pattern DECLARED_CHARSET = Pattern.compile("(?i)charset\\s*=\\s*([^;]*)");

    /** The character HTML reads a reference to no character as. */
    private static final int REPLACEMENT = 0xFFFD;

    /** The elements that begin SVG and MathML content. */
    private static final Set<String> FOREIGN_ROOTS = Set.of("svg", "math");

    /** The elements whose content HTML reads as text, up to their end tag. */
    private static final Set<String> RAW_TEXT_ELEMENTS =
            Set.of("script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title");

    /** An {@code http-equiv} that names the Content-Type, in any case and spaces around. */
    private static final Pattern CONTENT_TYPE = Pattern.compile("(?i)\\s*content-type\\s*");

    private static final String LEFT_OPEN_ADVICE =
            "HTML repeats a formatting tag left open (such as a <b> or <font> never closed) in"
                    + " every block after it: close such tags";

    private final String publicBaseUrl;
    private final long maxHtmlBytes;
    private final int maxLinks;

    /** Creates an instrumenter with the default limits, leaving links under the base URL alone. */
    HtmlInstrumenter(String publicBaseUrl) {
        this(publicBaseUrl, DEFAULT_MAX_HTML_BYTES, TrackerSettings.DEFAULT_MAX_LINKS_PER_EMAIL);
    }

    /**
     * Creates an instrumenter.
     *
     * @param publicBaseUrl the tracker's public base URL; links under it are never rewritten
     * @param maxHtmlBytes the largest body accepted, in bytes of UTF-8
     * @param maxLinks the most distinct links one body may have tracked
     * @throws IllegalArgumentException if a value is not valid, naming it
     */
    HtmlInstrumenter(String publicBaseUrl, long maxHtmlBytes, int maxLinks) {
        this.publicBaseUrl = TrackingLinks.checkBaseUrl(publicBaseUrl);
        if (maxHtmlBytes <= 0 || maxLinks <= 0) {
            throw new IllegalArgumentException(
                    "maxHtmlBytes and maxLinks must be positive, not "
                            + maxHtmlBytes
                            + " and "
                            + maxLinks);
        }
        this.maxHtmlBytes = maxHtmlBytes;
        this.maxLinks = maxLinks;
    }

    /**
     * Returns {@code html} with the open pixel added and each tracked link pointing at its click
     * URL, and the original links that were rewritten.
     *
     * @param clickUrlFor gives the click URL of an original link, or null to leave that link as it
     *     is; called once per distinct link that it gives a click URL
     * @param openUrl the URL of the open pixel
     * @throws InvalidRequestException if the body is over the size limit, has more distinct links
     *     to track than allowed, or would come out too long (see the class's note)
     */
    InstrumentedHtml instrument(String html, Function<String, String> clickUrlFor, String openUrl) {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(clickUrlFor, "clickUrlFor");
        Objects.requireNonNull(openUrl, "openUrl");
        checkSize(html);

        ParsedBody body = ParsedBody.parse(html);
        LinkRewrite rewrite = new LinkRewrite(publicBaseUrl, maxLinks, clickUrlFor);
        Optional<Node> leftOpen = rewriteLinks(body, rewrite);

        declareUtf8(body.document());
        Element pixel = pixel(openUrl);
        body.document().body().appendChild(pixel);
        leftOpen.ifPresent(
                construct -> {
                    construct.remove();
                    pixel.after(construct);
                });
        long maxOutput = Math.max(OUTPUT_GROWTH * (long) html.length(), OUTPUT_FLOOR);
        String output = body.write(maxOutput);
        requirePixelShown(output, openUrl);
        return new InstrumentedHtml(output, rewrite.links());
    }

    /**
     * Fails when the output, read again as a mail client reads it, no longer holds the pixel as an
     * element of the body: a construct left open at the end, such as a {@code <script>} after
     * {@code <!--<script>}, can make it text of its own.
     */
    private static void requirePixelShown(String output, String openUrl) {
        Element body = Jsoup.parse(output).body();
        boolean shown =
                body != null
                        && body.children().stream()
                                .anyMatch(
                                        child ->
                                                child.normalName().equals("img")
                                                        && child.attr("src").equals(openUrl));
        if (!shown) {
            throw new InvalidRequestException(
                    "html that ends inside a <script>, a comment or another construct left open"
                            + " would hide the tracking pixel: close it");
        }
    }

    private void checkSize(String html) {
        if (html.length() > maxHtmlBytes || utf8Length(html) > maxHtmlBytes) {
            throw new InvalidRequestException(
                    "html must be at most " + maxHtmlBytes + " bytes in UTF-8");
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Rewrites the tracked links, and returns the comment-like construct that the body ends inside
     * of, kept as written, if there is one.
     */
    private static Optional<Node> rewriteLinks(ParsedBody body, LinkRewrite rewrite) {
        Node leftOpen = null;
        List<Node> nodes = body.document().nodeStream().toList();
        for (Node node : nodes) {
            replaceLoneSurrogates(node);
            if (node instanceof Element element) {
                requireSupported(element);
                rewrite.requireNoPixelOfAnEmail(element);
                rewrite.clickUrlOf(element).ifPresent(url -> element.attr("href", url));
            } else if (node instanceof Comment comment) {
                leftOpen = rewriteComment(comment, body.source(), rewrite).orElse(leftOpen);
            } else if (node instanceof ProcessingInstruction instruction) {
                // HTML reads <?...> as a comment; kept as written, as such comments are.
                leftOpen = keepConstruct(instruction, body.source()).orElse(leftOpen);
            } else if (node instanceof DocumentType doctype) {
                keepAsWritten(doctype, body.source());
            }
        }
        return Optional.ofNullable(leftOpen);
    }

    /**
     * Replaces with U+FFFD each half of a surrogate pair that stands alone in an attribute or a
     * text, as HTML reads a reference such as {@code &#xD800;} and the parser does not: a browser
     * follows a link with U+FFFD where the reference was, and so does its click URL.
     */
    static void replaceLoneSurrogates(Node node) {
        if (node instanceof Element element) {
            for (Attribute attribute : element.attributes()) {
                if (Values.hasLoneSurrogate(attribute.getValue())) {
                    attribute.setValue(withoutLoneSurrogates(attribute.getValue()));
                }
            }
        } else if (node instanceof TextNode text && Values.hasLoneSurrogate(text.getWholeText())) {
            text.text(withoutLoneSurrogates(text.getWholeText()));
        }
    }

    private static String withoutLoneSurrogates(String text) {
        StringBuilder whole = new StringBuilder(text.length());
        text.codePoints()
                .map(c -> Character.getType(c) == Character.SURROGATE ? REPLACEMENT : c)
                .forEach(whole::appendCodePoint);
        return whole.toString();
    }

    private static boolean hasAncestor(Element element, String name) {
        return element.parents().stream().anyMatch(parent -> parent.normalName().equals(name));
    }

    /**
     * Refuses what browsers read otherwise than the parser, in a way that could hide the rest of
     * the body: a {@code <script>} in SVG, SVG or MathML in a {@code <noscript>}, an element whose
     * content is text in a {@code <select>}, and a form that the parser nests in another, which
     * browsers never do.
     */
    private static void requireReadAsBrowsersReadIt(Element element) {
        if (element.tag().namespace().equals(Parser.NamespaceSvg)
                && element.normalName().equals("script")) {
            throw new InvalidRequestException(
                    "html with a <script> inside <svg> is not supported: mail clients read what"
                            + " it holds otherwise than this server, and may hide the rest of the"
                            + " body, the tracking pixel too");
        }
        if (FOREIGN_ROOTS.contains(element.normalName()) && hasAncestor(element, "noscript")) {
            throw new InvalidRequestException(
                    "html with <svg> or <math> inside <noscript> is not supported: mail clients"
                            + " read what it holds otherwise than this server, and may hide the"
                            + " rest of the body, the tracking pixel too");
        }
        boolean html = element.tag().namespace().equals(Parser.NamespaceHtml);
        if (html
                && RAW_TEXT_ELEMENTS.contains(element.normalName())
                && hasAncestor(element, "select")) {
            throw new InvalidRequestException(
                    "html with <"
                            + element.normalName()
                            + "> inside <select> is not supported: mail clients read it"
                            + " otherwise than this server, and may hide the rest of the body, the"
                            + " tracking pixel too");
        }
        if (html && element.normalName().equals("form") && hasAncestor(element, "form")) {
            throw new InvalidRequestException(
                    "html with a <form> inside another is not supported: browsers drop the inner"
                            + " one, and read the tags after it otherwise than this server, which"
                            + " could hide the rest of the body, the tracking pixel too; close each"
                            + " form before the next");
        }
    }

    /**
     * Refuses the elements after which the pixel would not load, and what browsers read otherwise;
     * in SVG or MathML, {@code <plaintext>} is an element like any other.
     */
    private static void requireSupported(Element element) {
        requireReadAsBrowsersReadIt(element);
        if (!element.tag().namespace().equals(Parser.NamespaceHtml)) {
            return;
        }
        if (element.normalName().equals("plaintext")) {
            throw new InvalidRequestException(
                    "html with the obsolete <plaintext> element is not supported: mail clients"
                            + " show the rest of the body as text, the tracking pixel too");
        }
        if (element.normalName().equals("frameset")) {
            throw new InvalidRequestException(
                    "html built of <frameset> is not supported: mail clients show no body, so"
                            + " the tracking pixel would not load");
        }
    }

    /**
     * Rewrites the links of a conditional comment, and keeps a comment the parser made from
     * something else ({@code <![if !mso]>}, {@code <?xml ...?>}) exactly as it was written: written
     * back as {@code <!--...-->} it would no longer hide its content from Outlook. Returns what it
     * was kept as when the body ends inside it, with no {@code >} to close it: whatever is written
     * after it up to a {@code >} would be read as part of it.
     */
    private static Optional<Node> rewriteComment(
            Comment comment, String source, LinkRewrite rewrite) {
        Range range = comment.sourceRange();
        if (range.isTracked() && !source.startsWith("<!--", range.startPos())) {
            return keepConstruct(comment, source);
        }
        if (ConditionalComment.isConditional(comment.getData())) {
            comment.setData(ConditionalComment.rewriteLinks(comment.getData(), rewrite));
        }
        return Optional.empty();
    }

    /**
     * Keeps a comment-like construct as written, and returns what it was kept as when the body ends
     * inside it, with no {@code >} to close it.
     */
    private static Optional<Node> keepConstruct(Node construct, String source) {
        Range range = construct.sourceRange();
        boolean leftOpen =
                range.isTracked() && range.endPos() == source.length() && !source.endsWith(">");
        Node kept = keepAsWritten(construct, source);
        return leftOpen ? Optional.of(kept) : Optional.empty();
    }

    /**
     * Replaces a node by its source text, which the writer then copies unchanged but for NUL
     * characters, which become U+FFFD as HTML reads them there (no mail may carry a NUL), and
     * returns what stands in its place.
     */
    private static Node keepAsWritten(Node node, String source) {
        Range range = node.sourceRange();
        if (!range.isTracked()) {
            return node;
        }
        String text = source.substring(range.startPos(), range.endPos()).replace('\0', '\uFFFD');
        DataNode written = new DataNode(text);
        node.replaceWith(written);
        return written;
    }

    /**
     * Makes the {@code <meta>} elements that declare a charset declare the one the output is sent
     * in: a client that trusts one declaring another would garble every character outside ASCII.
     */
    private static void declareUtf8(Document document) {
        for (Element meta : document.getElementsByTag("meta")) {
            utf8Declarations(meta).forEach(meta.attributes()::put);
        }
    }

    /**
     * Returns the attributes that make a {@code <meta>} declaring a charset other than UTF-8
     * declare UTF-8, in its {@code charset} and in the content of its {@code http-equiv}
     * Content-Type, which one element may both carry; none for any other element. A charset left
     * empty declares none, and stays as it is.
     */
    static List<Attribute> utf8Declarations(Element element) {
        if (!element.normalName().equals("meta")) {
            return List.of();
        }
        List<Attribute> declarations = new ArrayList<>(2);
        String charset = element.attr("charset");
        if (!charset.isBlank() && !isUtf8(charset)) {
            declarations.add(new Attribute("charset", "utf-8"));
        }
        if (CONTENT_TYPE.matcher(element.attr("http-equiv")).matches()) {
            Matcher declared = DECLARED_CHARSET.matcher(element.attr("content"));
            if (declared.find() && !declared.group(1).isBlank() && !isUtf8(declared.group(1))) {
                declarations.add(new Attribute("content", "text/html; charset=utf-8"));
            }
        }
        return declarations;
    }

    /** Returns whether a declared charset, quoted or not, is UTF-8. */
    private static boolean isUtf8(String declared) {
        String name = declared.strip().replace("\"", "").replace("'", "").strip();
        return name.equalsIgnoreCase("utf-8") || name.equalsIgnoreCase("utf8");
    }

    private static Element pixel(String openUrl) {
        return new Element("img")
                .attr("src", openUrl)
                .attr("width", "1")
                .attr("height", "1")
                .attr("alt", "")
                .attr("style", "display:block;border:0;width:1px;height:1px");
    }

    /** Text written up to a number of characters, past which appending fails. */
    private static final class BoundedText implements Appendable {

        /** Thrown past the bound; carries no stack trace, as the caller only translates it. */
        static final class Overflow extends RuntimeException {
            Overflow() {
                super(null, null, false, false);
            }
        }

        private final StringBuilder text = new StringBuilder();
        private final long maxChars;

        BoundedText(long maxChars) {
            this.maxChars = maxChars;
        }

        @Override
        public Appendable append(CharSequence chars) {
            CharSequence written = chars == null ? "null" : chars;
            return append(written, 0, written.length());
        }

        @Override
        public Appendable append(CharSequence chars, int start, int end) {
            make(end - start);
            text.append(chars == null ? "null" : chars, start, end);
            return this;
        }

        @Override
        public Appendable append(char c) {
            make(1);
            text.append(c);
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }

        private void make(int room) {
            if (text.length() + (long) room > maxChars) {
                throw new Overflow();
            }
        }
    }

    /**
     * Returns whether an element may have lost attributes: the parser keeps the first {@value
     * #MAX_ATTRIBUTES} of a tag, counting a name written twice twice, drops the rest without a
     * word, which could drop a link, and only then merges the repeated names.
     */
    static boolean lostAttributes(Element element, String html) {
        return element.attributesSize() >= MAX_ATTRIBUTES || hasAsManyWritten(element, html);
    }

    /** Returns the failure for a tag that may have lost attributes. */
    static InvalidRequestException attributesLost() {
        return new InvalidRequestException(
                "html has a tag with "
                        + MAX_ATTRIBUTES
                        + " attributes or more, a name written twice counting twice, past"
                        + " which they would be dropped; give each tag fewer than "
                        + MAX_ATTRIBUTES);
    }

    /**
     * Counts the attributes of the element's tag as written, when it is long enough to hold as many
     * as the parser keeps, each taking two characters at least.
     */
    private static boolean hasAsManyWritten(Element element, String html) {
        Range tag = element.sourceRange();
        if (!tag.isTracked() || tag.isImplicit()) {
            return false;
        }
        int start = tag.startPos();
        int end = tag.endPos();
        return end - start >= 2 * MAX_ATTRIBUTES
                && StartTag.attributeCount(html, start, end) >= MAX_ATTRIBUTES;
    }

    /**
     * A parsed body and the text it came from.
     *
     * @param fragment whether the text had no {@code <html>}, {@code <head>}, {@code <body>} or
     *     doctype, and is written back without them
     */
    private record ParsedBody(Document document, String source, boolean fragment) {

        /**
         * Parses a body, as a document when it is written as one, else as a fragment.
         *
         * @throws InvalidRequestException if it would build more elements than {@link #maxElements}
         *     allows
         */
        static ParsedBody parse(String html) {
            long maxElements = maxElements(html);
            Document document;
            try (StreamParser parser = new StreamParser(newParser()).parse(html, "")) {
                requireAtMost(parser, maxElements, html);
                document = parser.complete();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (isFullDocument(document)) {
                requireAllChecked(document, maxElements, html);
                return new ParsedBody(document, html, false);
            }
            Document shell = Document.createShell("");
            try (StreamParser parser =
                    new StreamParser(newParser()).parseFragment(html, shell.body(), "")) {
                requireAtMost(parser, maxElements, html);
                shell.body().appendChildren(parser.completeFragment());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            requireAllChecked(shell, maxElements, html);
            return new ParsedBody(shell, html, true);
        }

        /**
         * Returns how many elements a body may build: every element written takes at least three
         * characters ({@code <a>}), and a body may imply a few more ({@code <tbody>}), while
         * formatting tags left open are opened again, up to twelve of them, in every block after
         * them. Editors leave a few open in real mail, so short bodies get a generous floor.
         */
        static long maxElements(String html) {
            return Math.max(html.length() / 2, MIN_ELEMENTS);
        }

        /**
         * Reads the parse to its end, stopping it once it has built more than {@code max} elements
         * or an element that lost attributes.
         */
        private static void requireAtMost(StreamParser parser, long max, String html) {
            long count = 0;
            Iterator<Element> elements = parser.iterator();
            while (elements.hasNext()) {
                boolean lost = lostAttributes(elements.next(), html);
                if (lost || ++count > max) {
                    parser.stop();
                    throw lost ? attributesLost() : tooManyElements(max);
                }
            }
        }

        /**
         * Checks again, once parsed, every element of the document: the parser builds those it
         * moves out of a table ({@code <table><a ...>}) without handing them out while it parses.
         */
        private static void requireAllChecked(Document document, long max, String html) {
            List<Element> elements = document.getAllElements();
            if (elements.size() > max) {
                throw tooManyElements(max);
            }
            for (Element element : elements) {
                if (lostAttributes(element, html)) {
                    throw attributesLost();
                }
            }
        }

        private static InvalidRequestException tooManyElements(long max) {
            return new InvalidRequestException(
                    "html would build more than "
                            + max
                            + " elements once parsed; "
                            + LEFT_OPEN_ADVICE);
        }

        /**
         * Writes the body back.
         *
         * @throws InvalidRequestException if it would be longer than {@code maxChars}
         */
        String write(long maxChars) {
            document.outputSettings()
                    .prettyPrint(false)
                    .charset(StandardCharsets.UTF_8)
                    .escapeMode(Entities.EscapeMode.base);
            BoundedText out = new BoundedText(maxChars);
            try {
                return (fragment ? document.body().html(out) : document.outerHtml(out)).toString();
            } catch (BoundedText.Overflow e) {
                throw new InvalidRequestException(
                        "html would come out longer than "
                                + maxChars
                                + " characters once tracked; "
                                + LEFT_OPEN_ADVICE);
            }
        }

        /** Source positions tell bogus comments from real ones and tags written from implied. */
        private static Parser newParser() {
            return Parser.htmlParser().setTrackPosition(true);
        }

        private static boolean isFullDocument(Document document) {
            Element html = document.selectFirst("html");
            return document.documentType() != null
                    || isWritten(html)
                    || isWritten(document.head())
                    || isWritten(document.body());
        }

        private static boolean isWritten(Element element) {
            return element != null
                    && (!element.sourceRange().isImplicit()
                            || !element.endSourceRange().isImplicit());
        }
    }
}
