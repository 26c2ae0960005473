namespace Touchpoint.Data; public static class Placeholder {}
