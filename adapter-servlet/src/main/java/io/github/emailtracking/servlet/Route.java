package io.github.emailtracking.servlet;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One path shape and the handler of each method it answers. A shape is a list of segments where
 * {@code "*"} matches any one segment, such as {@code ["campaigns", "*", "emails"]}, and a last
 * {@code "**"} matches one segment or more.
 */
record Route(List<String> shape, Map<String, Handler> handlers) {

    /** Handles one request whose path matched the route. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    static Route of(String pattern, Map<String, Handler> handlers) {
        return new Route(List.of(pattern.substring(1).split("/")), Map.copyOf(handlers));
    }

    boolean matches(List<String> path) {
        boolean open = shape.get(shape.size() - 1).equals("**");
        if (open ? path.size() < shape.size() : path.size() != shape.size()) {
            return false;
        }
        for (int i = 0; i < shape.size(); i++) {
            String segment = shape.get(i);
            if (!segment.startsWith("*") && !segment.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the value of an {@code Allow} header for this route. */
    String allowedMethods() {
        return String.join(", ", new TreeSet<>(handlers.keySet()));
    }

    Set<String> methods() {
        return handlers.keySet();
    }
}
