package io.github.emailtracking.core;

import java.net.IDN;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The spellings under which one mailbox may have been registered. Letter case aside, an address
 * whose domain is international has two: its domain in Unicode ({@code bücher.example}) and in its
 * ASCII form ({@code xn--bcher-kva.example}), which mail systems use interchangeably. A store's key
 * ({@link io.github.emailtracking.api.spi.RecipientKeys}) is the same for both; the spellings are
 * for emails a JDBC store holds from before it kept that key, which it finds by their lower-cased
 * address alone.
 */
final class RecipientForms {

    private RecipientForms() {}

    /**
     * Returns the address as given, then its domain's ASCII and Unicode forms where they differ
     * from it (ignoring case), each once. A domain that is not a valid international name, or whose
     * conversion changes letters rather than only their spelling, has no other form.
     */
    static List<String> of(String address) {
        List<String> forms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        add(forms, seen, address);

        int at = address.lastIndexOf('@');
        if (at < 0) {
            return forms;
        }
        String local = address.substring(0, at + 1);
        String domain = address.substring(at + 1);
        try {
            String ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
            String unicode = IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED);
            if (sameName(unicode, domain) || sameName(ascii, domain)) {
                add(forms, seen, local + ascii);
                add(forms, seen, local + unicode);
            }
        } catch (IllegalArgumentException e) {
            // Not an international domain name: the address has only the form given.
        }
        return forms;
    }

    /**
     * Returns whether two domain names are the same but for letter case and Unicode composition.
     * Java's conversion follows the older international-name rules, which turn some letters into
     * others ({@code ß} into {@code ss}, {@code ς} into {@code σ}): the converted name is then
     * another domain, whose mailboxes belong to other people, and is not taken as a spelling.
     */
    private static boolean sameName(String converted, String given) {
        return normalized(converted).equals(normalized(given));
    }

    private static String normalized(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static void add(List<String> forms, Set<String> seen, String form) {
        if (seen.add(form.toLowerCase(Locale.ROOT))) {
            forms.add(form);
        }
    }
}
