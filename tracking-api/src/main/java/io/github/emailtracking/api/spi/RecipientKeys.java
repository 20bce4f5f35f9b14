package io.github.emailtracking.api.spi;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
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
        String compatible = Normalizer.normalize(address, Normalizer.Form.NFKC);
        int at = compatible.lastIndexOf('@');
        if (at < 0) {
            return nameKey(compatible);
        }
        return nameKey(compatible.substring(0, at)) + "@" + domainKey(compatible.substring(at + 1));
    }

    private static String nameKey(String name) {
        return lowerCase(name, false).replace('\u03C2', '\u03C3').replace("i\u0307", "i");
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
     * refuse the label. A label written in ASCII is read back into its letters first, so that both
     * spellings of such a label have the letters as their key.
     */
    private static String labelKey(String label) {
        String unicode =
                label.regionMatches(true, 0, ACE_PREFIX, 0, ACE_PREFIX.length())
                        ? Punycode.decode(label.substring(ACE_PREFIX.length()))
                                .filter(letters -> !letters.isEmpty())
                                .orElse(label)
                        : label;
        String lower = lowerCase(unicode, true);
        if (lower.isEmpty() || lower.chars().anyMatch(c -> DEVIATIONS.indexOf(c) >= 0)) {
            return lower;
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower;
        }
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
