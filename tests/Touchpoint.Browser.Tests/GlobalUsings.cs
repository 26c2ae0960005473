global using Microsoft.AspNetCore.Builder;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Playwright;
global using Touchpoint.Browser.Tests.Infrastructure;
global using Touchpoint.Tests.Infrastructure;
