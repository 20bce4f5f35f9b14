package io.github.emailtracking.storage.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresKeptRowsTest extends KeptRowsBehaviour {

    private static PostgresTestDatabases databases;

    @BeforeAll
    static void connectToServer() {
        databases = new PostgresTestDatabases();
    }

    @AfterAll
    static void dropDatabases() {
        databases.close();
    }

    @Override
    String newDatabaseUrl() {
        return databases.create();
    }
}
