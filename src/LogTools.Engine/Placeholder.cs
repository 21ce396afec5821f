namespace LogTools.Engine; internal static class Placeholder {}
