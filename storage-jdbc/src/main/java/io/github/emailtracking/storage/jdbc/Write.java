package io.github.emailtracking.storage.jdbc;

import java.sql.SQLException;
import java.util.function.Supplier;

/** One change the writer makes in a batch's transaction. */
@FunctionalInterface
interface Write<T> {

    /**
     * Makes the change in the transaction.
     *
     * @return how to read the change's outcome once the batch is committed
     */
    Supplier<T> applyTo(WriteTransaction transaction) throws SQLException;
}
