// The database's own refusal to change the transparency log: triggers that abort every UPDATE and DELETE (and, on
// PostgreSQL, TRUNCATE) of the log's tables, and on PostgreSQL a role smpc_log_writer holding only SELECT and INSERT
// on them, for operators who run the registry under a role without the rights at all. Applied by the
// TransparencyLog migrations of both providers.
namespace Smpc.Registry.Transparency;

public static class AppendOnlySql
{
    public static readonly string[] Tables = ["transparency_entries", "transparency_heads", "transparency_cosignatures", "transparency_keys"];

    public static IEnumerable<string> Sqlite() => Tables.SelectMany(t => new[]
    {
        $"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only: the transparency log refuses updates'); END;",
        $"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only: the transparency log refuses deletes'); END;",
    });

    public static IEnumerable<string> SqliteDown() => Tables.SelectMany(t => new[] { $"DROP TRIGGER IF EXISTS {t}_no_update;", $"DROP TRIGGER IF EXISTS {t}_no_delete;" });

    public static IEnumerable<string> Postgres()
    {
        yield return """
            CREATE OR REPLACE FUNCTION smpc_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: the transparency log refuses %', TG_TABLE_NAME, lower(TG_OP) USING ERRCODE = 'insufficient_privilege';
            END $$;
            """;
        foreach (var t in Tables)
        {
            yield return $"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION smpc_append_only();";
            yield return $"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION smpc_append_only();";
        }
        // The role needs CREATEROLE; where the migrating user lacks it, the triggers alone stand (a notice says so).
        yield return $$"""
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'smpc_log_writer') THEN
                CREATE ROLE smpc_log_writer NOLOGIN;
              END IF;
              {{string.Join("\n  ", Tables.Select(t => $"REVOKE ALL ON {t} FROM PUBLIC; REVOKE ALL ON {t} FROM smpc_log_writer; GRANT SELECT, INSERT ON {t} TO smpc_log_writer;"))}}
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE NOTICE 'role smpc_log_writer not created (no CREATEROLE); the append-only triggers still apply';
            END $$;
            """;
    }

    public static IEnumerable<string> PostgresDown()
    {
        foreach (var t in Tables)
        {
            yield return $"DROP TRIGGER IF EXISTS {t}_append_only ON {t};";
            yield return $"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};";
        }
        yield return "DROP FUNCTION IF EXISTS smpc_append_only();";
    }
}
