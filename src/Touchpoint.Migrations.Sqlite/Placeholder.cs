namespace Touchpoint.Migrations.Sqlite; public static class Placeholder {}
