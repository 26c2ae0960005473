namespace Touchpoint.Migrations.Postgres; public static class Placeholder {}
