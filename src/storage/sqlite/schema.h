#pragma once

#include "common/status.h"
#include "storage/sqlite/connection.h"

namespace steadfast::storage::sqlite {

// Brings the database up to the newest schema version, one migration per transaction,
// recorded in PRAGMA user_version. Unavailable if the file is newer than this program knows.
[[nodiscard]] Status Migrate(Connection& conn);

// The schema version this build writes.
int LatestSchemaVersion();

}  // namespace steadfast::storage::sqlite
