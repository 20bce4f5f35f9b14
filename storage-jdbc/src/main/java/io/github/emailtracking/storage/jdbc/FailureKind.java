package io.github.emailtracking.storage.jdbc;

/** Why a statement failed, as far as the store acts on it. */
enum FailureKind {
    /** A row with the same key exists. */
    DUPLICATE("a row with the same key exists"),
    /** A row refers to one that does not exist. */
    MISSING_PARENT("a row it refers to does not exist"),
    /** Another transaction was in the way; the same work may succeed when tried again. */
    CONFLICT("the database is busy; try again later"),
    /** The database cancelled a statement, most often for running past a statement timeout. */
    CANCELLED(
            "the database cancelled a statement, as a statement_timeout does for one that runs"
                    + " longer; a fold of the open journal may take a second"),
    /** The disk, or the database's own bound on its size, left no room for the change. */
    FULL("the database's disk is full, or the database reached its size limit"),
    /** The database refused to write in a transaction that may only read. */
    READ_ONLY("the database lets this connection only read"),
    /** The server has no database of the name the connection asked for. */
    NO_SUCH_DATABASE("the server has no database of that name; create it first"),
    /** The server refused the connection's user name or password. */
    LOGIN_REFUSED("the server refused the user name or password"),
    /** A SQLite file that is not a database. */
    NOT_A_DATABASE("the file is not a SQLite database"),
    /** A SQLite file that could not be opened or created. */
    CANNOT_OPEN(
            "the database file cannot be opened or created: check that its path names a file,"
                    + " not a folder, and that this process may write in the file's folder"),
    /** The SQLite file was deleted or replaced under the running store. */
    FILE_CHANGED(
            "the database file was deleted or replaced while the store ran, and nothing written"
                    + " to it now would be read again: put the file back, from a backup if need"
                    + " be, then restart the store, which on a missing file starts a new, empty"
                    + " database"),
    /** The database could not be reached, or the connection broke. */
    UNREACHABLE("the database cannot be reached"),
    /** Anything else. */
    OTHER("the database failed");

    private final String reason;

    FailureKind(String reason) {
        this.reason = reason;
    }

    /** Returns the failure in words a person can act on, with no SQL and no class names. */
    String reason() {
        return reason;
    }
}
