package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.DocumentType;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.Range;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;

/**
 * Compares an HTML body before and after instrumenting as a mail client reads both: parsed, node by
 * node. What may differ: an {@code href} that became a click URL of the same link, and the open
 * pixel at the end of the body. Inside a conditional comment every character but such an {@code
 * href} must stay the same.
 */
final class HtmlComparison {

    /**
     * A link found rewritten: the original it stood for and the click URL, as a browser reads it.
     */
    record Rewritten(String original, String clickUrl) {}

    private final String base;
    private final List<Rewritten> rewritten = new ArrayList<>();

    private HtmlComparison(String base) {
        this.base = base;
    }

    /**
     * Asserts that {@code after} is {@code before} with links rewritten and the pixel added, and
     * returns the rewritten links in document order.
     *
     * @param fragment whether both are fragments rather than documents
     */
    static List<Rewritten> compare(
            String before, String after, String openUrl, String base, boolean fragment) {
        Document expected = parse(before, fragment);
        Document actual = parse(after, fragment);
        removePixel(actual, openUrl);

        HtmlComparison comparison = new HtmlComparison(base);
        comparison.compareChildren(expected, actual, "#document");
        return comparison.rewritten;
    }

    private static Document parse(String html, boolean fragment) {
        return fragment ? Jsoup.parseBodyFragment(html) : Jsoup.parse(html);
    }

    private static void removePixel(Document document, String openUrl) {
        Element body = document.body();
        Element pixel = body.children().last();
        assertThat(pixel).as("the last element of the body").isNotNull();
        assertThat(pixel.outerHtml())
                .isEqualTo(
                        "<img src=\""
                                + openUrl
                                + "\" width=\"1\" height=\"1\" alt=\"\""
                                + " style=\"display:block;border:0;width:1px;height:1px\">");
        for (Node next = pixel.nextSibling(); next != null; next = next.nextSibling()) {
            assertThat(next)
                    .isInstanceOfSatisfying(
                            TextNode.class,
                            t -> assertThat(t.isBlank()).as("after the pixel").isTrue());
        }
        pixel.remove();
    }

    private void compareChildren(Node before, Node after, String path) {
        List<Node> expected = mergedChildren(before);
        List<Node> actual = mergedChildren(after);
        assertThat(actual).as("children of " + path).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            compareNodes(expected.get(i), actual.get(i), path + "/" + expected.get(i).nodeName());
        }
    }

    /** Returns the children with adjacent text joined, as a browser's DOM holds them. */
    private static List<Node> mergedChildren(Node parent) {
        List<Node> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node child : parent.childNodes()) {
            if (child instanceof TextNode textNode) {
                text.append(textNode.getWholeText());
                continue;
            }
            if (text.length() > 0) {
                children.add(new TextNode(text.toString()));
                text.setLength(0);
            }
            children.add(child);
        }
        if (text.length() > 0) {
            children.add(new TextNode(text.toString()));
        }
        return children;
    }

    private void compareNodes(Node before, Node after, String path) {
        assertThat(after.nodeName()).as(path).isEqualTo(before.nodeName());
        if (before instanceof Element element) {
            compareAttributes(element, (Element) after, path);
            compareChildren(before, after, path);
        } else if (before instanceof TextNode text) {
            assertThat(((TextNode) after).getWholeText()).as(path).isEqualTo(text.getWholeText());
        } else if (before instanceof DataNode data) {
            assertThat(((DataNode) after).getWholeData()).as(path).isEqualTo(data.getWholeData());
        } else if (before instanceof Comment comment) {
            compareComments(comment.getData(), ((Comment) after).getData(), path);
        } else if (before instanceof DocumentType) {
            assertThat(after.outerHtml()).as(path).isEqualTo(before.outerHtml());
        }
    }

    private void compareAttributes(Element before, Element after, String path) {
        assertThat(after.attributes().asList())
                .as("attribute names of " + path)
                .extracting(a -> a.getKey())
                .containsExactlyElementsOf(
                        before.attributes().asList().stream().map(a -> a.getKey()).toList());
        before.attributes()
                .forEach(
                        attribute -> {
                            String value = after.attr(attribute.getKey());
                            if (!value.equals(attribute.getValue())) {
                                assertThat(attribute.getKey()).as(path).isEqualTo("href");
                                compareHref(attribute.getValue(), value, path);
                            }
                        });
    }

    private void compareHref(String before, String after, String path) {
        ClickUrl click =
                ClickUrl.parse(base, after)
                        .orElseThrow(() -> new AssertionError(path + ": " + after));
        assertThat(click.redirect()).as(path).isEqualTo(before.strip());
        rewritten.add(new Rewritten(click.redirect(), after));
    }

    /** Compares conditional comments character by character, apart from rewritten hrefs. */
    private void compareComments(String before, String after, String path) {
        if (before.equals(after)) {
            return;
        }
        int contentStart = before.indexOf("]>") + 2;
        assertThat(before).as(path).startsWith("[if");
        assertThat(after).as(path).startsWith(before.substring(0, contentStart));

        String expected = before.substring(contentStart);
        String actual = after.substring(contentStart);
        List<int[]> expectedHrefs = hrefValues(expected);
        List<int[]> actualHrefs = hrefValues(actual);
        assertThat(actualHrefs).as("hrefs in " + path).hasSameSizeAs(expectedHrefs);

        int expectedAt = 0;
        int actualAt = 0;
        for (int i = 0; i < expectedHrefs.size(); i++) {
            int[] e = expectedHrefs.get(i);
            int[] a = actualHrefs.get(i);
            assertThat(actual.substring(actualAt, a[0]))
                    .as(path)
                    .isEqualTo(expected.substring(expectedAt, e[0]));
            String expectedValue = expected.substring(e[0], e[1]);
            String actualValue = actual.substring(a[0], a[1]);
            if (!actualValue.equals(expectedValue)) {
                compareHref(unquote(expectedValue), unquote(actualValue), path);
            }
            expectedAt = e[1];
            actualAt = a[1];
        }
        assertThat(actual.substring(actualAt)).as(path).isEqualTo(expected.substring(expectedAt));
    }

    /** Returns where each href value is in {@code html}, its quotes included, in source order. */
    private static List<int[]> hrefValues(String html) {
        TreeMap<Integer, int[]> values = new TreeMap<>();
        Document shell = Document.createShell("");
        for (Node node :
                Parser.htmlParser()
                        .setTrackPosition(true)
                        .parseFragmentInput(html, shell.body(), "")) {
            node.nodeStream(Element.class)
                    .filter(element -> element.hasAttr("href"))
                    .forEach(
                            element -> {
                                Range range = element.attribute("href").sourceRange().valueRange();
                                int start = range.startPos();
                                int end = range.endPos();
                                if (start > 0 && "\"'".indexOf(html.charAt(start - 1)) >= 0) {
                                    start--;
                                    end++;
                                }
                                values.put(start, new int[] {start, end});
                            });
        }
        return new ArrayList<>(values.values());
    }

    private static String unquote(String raw) {
        boolean quoted = !raw.isEmpty() && "\"'".indexOf(raw.charAt(0)) >= 0;
        String value = quoted ? raw.substring(1, raw.length() - 1) : raw;
        return Parser.unescapeEntities(value, true);
    }
}
