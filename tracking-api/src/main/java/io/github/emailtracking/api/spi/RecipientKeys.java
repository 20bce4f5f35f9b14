package io.github.emailtracking.api.spi;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The key by which a store finds a recipient's emails to erase them: the same for the spellings of
 * one address that people type and systems write, so that an erasure does not miss an email because
 * its address was written another way, and different for addresses that mail systems tell apart, so
 * that it erases no one else's.
 *
 * <p>Two addresses have the same key when they differ only in:
 *
 * <ul>
 *   <li>Unicode form: an accent composed with its letter or apart from it, and compatibility
 *       characters (a fullwidth letter, a ligature) against their plain letters;
 *   <li>letter case, letter by letter: {@code É} and {@code é}, the capital and small letters of
 *       any script; in the name part, the dotted capital {@code İ}, {@code i} and the {@code i}
 *       with a combining dot that lowering {@code İ} gives in most languages, and the Greek final
 *       sigma {@code ς} and {@code σ}, since an address written in capitals has no final sigma;
 *   <li>the spelling of an international domain, label by label: in Unicode ({@code
 *       bücher.example}) or ASCII ({@code xn--bcher-kva.example}), with ideographic full stops for
 *       dots, and with or without a final dot.
 * </ul>
 *
 * <p>Letters that only look alike stay apart: the dotless {@code ı} is not {@code i}, and in a
 * domain {@code ß} is not {@code ss} nor {@code ς} {@code σ}, as today's rules for international
 * names have it (Java's older rules merge them, and are not used for a label that holds one).
 *
 * <p>A domain label that holds {@code ß} or {@code ς}, or that Java's older rules refuse (a
 * right-to-left label ending in a digit or a mark, such as {@code א1} and most words of Dhivehi),
 * has its letters as its key, whether it is written in Unicode or in ASCII.
 */
public final class RecipientKeys {

    /** What begins a label written in ASCII. */
    private static final String ACE_PREFIX = "xn--";

    /** The longest label a domain name may have, in ASCII. */
    private static final int MAX_LABEL_LENGTH = 63;

    /** What ends a label or a domain: the dots and full stops, and the {@code @}. */
    private static final String LABEL_ENDS = ".@\u3002\uFF0E\uFF61";

    /** The combining Greek iota subscript, and the iota it stands for. */
    private static final char IOTA_SUBSCRIPT = '\u0345';

    private static final char IOTA = '\u03B9';

    /** The characters that today's rules keep in a domain and Java's older ones change. */
    private static final String DEVIATIONS = "\u00DF\u03C2\u200C\u200D";

    private RecipientKeys() {}

    /**
     * Returns the key of an address.
     *
     * @param address the address as registered or as given to an erasure
     */
    public static String of(String address) {
        Objects.requireNonNull(address, "address");
        String compatible = Normalizer.normalize(withIotaWritten(address), Normalizer.Form.NFKC);
        int at = compatible.lastIndexOf('@');
        if (at < 0) {
            return nameKey(compatible);
        }
        return nameKey(compatible.substring(0, at)) + "@" + domainKey(compatible.substring(at + 1));
    }

    private static String nameKey(String name) {
        String lower = lowerCase(name, false).replace('\u03C2', '\u03C3').replace("i\u0307", "i");
        return Normalizer.normalize(lower, Normalizer.Form.NFC);
    }

    /**
     * Returns the text with the Greek iota subscript, alone or in a letter that holds it ({@code
     * ᾳ}), written as the iota it stands for, where it stands, as the rules for international names
     * write it before they compose anything. Composing first would move it past the accents that
     * follow it, and make {@code ῳ} with an acute the key of another domain than its own.
     */
    private static String withIotaWritten(String text) {
        if (text.chars().noneMatch(c -> c >= IOTA_SUBSCRIPT)) {
            return text;
        }
        StringBuilder written = new StringBuilder(text.length());
        text.codePoints()
                .forEach(
                        c -> {
                            String decomposed =
                                    Normalizer.normalize(
                                            Character.toString(c), Normalizer.Form.NFD);
                            written.append(
                                    decomposed.indexOf(IOTA_SUBSCRIPT) >= 0
                                            ? decomposed.replace(IOTA_SUBSCRIPT, IOTA)
                                            : Character.toString(c));
                        });
        return written.toString();
    }

    private static String domainKey(String domain) {
        String name = domain;
        if (name.endsWith(".") || name.endsWith("\u3002")) {
            name = name.substring(0, name.length() - 1);
        }
        StringJoiner key = new StringJoiner(".");
        for (String label : name.split("[.\u3002]", -1)) {
            key.add(labelKey(label));
        }
        return key.toString();
    }

    /**
     * Returns a label's ASCII form, or its letters where the older rules would change them or
     * refuse the label. A label written in ASCII is its own key, but for one that those rules
     * cannot read back: that one's key is its letters, as for the same label written in them.
     */
    private static String labelKey(String label) {
        if (label.regionMatches(true, 0, ACE_PREFIX, 0, ACE_PREFIX.length())) {
            // An ASCII label is the same in any letter case, as to the domain name system.
            String ascii = label.toLowerCase(Locale.ROOT);
            return lettersOf(ascii).filter(RecipientKeys::isOlderRulesException).orElse(ascii);
        }
        String lower = lowerCase(label, true);
        if (isOlderRulesException(lower)) {
            return lower;
        }
        return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns whether the older rules for international names, which Java's {@link IDN} follows,
     * change a label's letters (it holds one of the {@link #DEVIATIONS}) or refuse the label.
     */
    private static boolean isOlderRulesException(String letters) {
        if (letters.isEmpty() || letters.chars().anyMatch(c -> DEVIATIONS.indexOf(c) >= 0)) {
            return true;
        }
        try {
            IDN.toASCII(letters, IDN.ALLOW_UNASSIGNED);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * Returns the letters an ASCII label stands for, when a label may hold them as they are: some
     * non-ASCII, in lower case and compatibility composition, and no space, control, format,
     * private-use, unassigned or surrogate character, nor one that separates labels. Any other
     * ASCII label is a name of its own, which no label written in letters is, even if its letters
     * fold into another's.
     */
    private static Optional<String> lettersOf(String label) {
        if (label.length() > MAX_LABEL_LENGTH) {
            return Optional.empty();
        }
        return Punycode.decode(label.substring(ACE_PREFIX.length()))
                .filter(letters -> letters.chars().anyMatch(c -> c >= 0x80))
                .filter(letters -> letters.codePoints().allMatch(RecipientKeys::isPlainLetter))
                .filter(
                        letters ->
                                Normalizer.normalize(letters, Normalizer.Form.NFKC).equals(letters))
                .filter(letters -> lowerCase(letters, true).equals(letters));
    }

    private static boolean isPlainLetter(int c) {
        int type = Character.getType(c);
        return type != Character.SURROGATE
                && type != Character.CONTROL
                && type != Character.FORMAT
                && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE
                && !Character.isWhitespace(c)
                && !Character.isSpaceChar(c)
                && LABEL_ENDS.indexOf(c) < 0;
    }

    /**
     * Returns the text with every letter in lower case on its own, not by the letters around it, in
     * canonical composition. In a domain the dotted capital {@code İ} is an {@code i} with its dot
     * kept, as the rules for international names lower it, not a plain {@code i}.
     */
    private static String lowerCase(String text, boolean inDomain) {
        StringBuilder lower = new StringBuilder(text.length());
        Normalizer.normalize(text, Normalizer.Form.NFC)
                .codePoints()
                .forEach(
                        c -> {
                            if (inDomain && c == '\u0130') {
                                lower.append("i\u0307");
                            } else {
                                lower.appendCodePoint(Character.toLowerCase(c));
                            }
                        });
        return Normalizer.normalize(lower, Normalizer.Form.NFC);
    }
}
