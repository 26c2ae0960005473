namespace Touchpoint.Tests; public class T { [Xunit.Fact] public void A() => Xunit.Assert.Equal(2, 1+1); }
