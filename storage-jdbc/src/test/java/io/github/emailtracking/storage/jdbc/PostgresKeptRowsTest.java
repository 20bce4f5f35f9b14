package io.github.emailtracking.storage.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresKeptRowsTest extends KeptRowsBehaviour {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    @Override
    String newDatabaseUrl() {
        return DATABASES.create();
    }
}
