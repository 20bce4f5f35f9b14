package io.github.emailtracking.core;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The spellings under which one mailbox may have been registered. Letter case aside, an address
 * whose domain is international has two: its domain in Unicode ({@code bücher.example}) and in its
 * ASCII form ({@code xn--bcher-kva.example}), which mail systems use interchangeably.
 */
final class RecipientForms {

    private RecipientForms() {}

    /**
     * Returns the address as given, then its domain's ASCII and Unicode forms where they differ
     * from it (ignoring case), each once. A domain that is not a valid international name has no
     * other form.
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
            add(forms, seen, local + IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED));
            add(forms, seen, local + IDN.toUnicode(domain, IDN.ALLOW_UNASSIGNED));
        } catch (IllegalArgumentException e) {
            // Not an international domain name: the address has only the form given.
        }
        return forms;
    }

    private static void add(List<String> forms, Set<String> seen, String form) {
        if (seen.add(form.toLowerCase(Locale.ROOT))) {
            forms.add(form);
        }
    }
}
