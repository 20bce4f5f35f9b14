package io.github.emailtracking.api.spi;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * The key by which a store finds a recipient's emails to erase them: the same for every spelling of
 * one address that a person may type or a system may write, so that an erasure never misses an
 * email because its address was written another way.
 *
 * <p>Two addresses have the same key when they differ only in:
 *
 * <ul>
 *   <li>letter case, compared letter by letter and not by the letters around it, so that the Greek
 *       final sigma matches the other sigma, and the dotless and dotted Turkish i match i;
 *   <li>Unicode composition and compatibility forms ({@code é} as one character or as {@code e} and
 *       an accent, fullwidth letters, ligatures);
 *   <li>the spelling of an international domain: in Unicode ({@code bücher.example}) or in its
 *       ASCII form ({@code xn--bcher-kva.example}), with ideographic full stops for dots.
 * </ul>
 *
 * <p>A domain holding {@code ß} keeps it, in Unicode: the older international-name rules, which
 * Java's {@link IDN} follows, turn it into {@code ss}, which names another domain, whose mailboxes
 * belong to other people. The key is for finding, never for writing to anyone.
 */
public final class RecipientKeys {

    private RecipientKeys() {}

    /**
     * Returns the key of an address.
     *
     * @param address the address as registered or as given to an erasure
     */
    public static String of(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return folded(address);
        }
        return folded(address.substring(0, at)) + "@" + domainKey(address.substring(at + 1));
    }

    private static String domainKey(String domain) {
        String folded = folded(domain);
        if (folded.indexOf('\u00DF') >= 0) {
            return folded;
        }
        try {
            return IDN.toASCII(folded, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // Not an international domain name: its letters are its key.
            return folded;
        }
    }

    /**
     * Returns the text in compatibility composition with every letter folded to lower case on its
     * own, composed again, as folding may leave a letter and an accent apart.
     */
    private static String folded(String text) {
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder folded = new StringBuilder(compatible.length());
        compatible
                .codePoints()
                .map(c -> Character.toLowerCase(Character.toUpperCase(c)))
                .forEach(folded::appendCodePoint);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }
}
