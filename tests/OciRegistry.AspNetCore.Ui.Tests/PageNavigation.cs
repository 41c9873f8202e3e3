using OpenQA.Selenium;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// Clicks that load another page return once that page is there. WebDriver's click can return while the browser is
/// still between pages, and a look-up then finds nothing (or the old page) on a busy machine.
/// </summary>
internal static class PageNavigation
{
    // A bound for a browser that never navigates, not a speed expectation.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>Clicks <paramref name="element"/> and waits until the page it leads to has loaded.</summary>
    public static void ClickToNextPage(this IWebDriver browser, IWebElement element) => Navigate(browser, element.Click);

    /// <summary>Submits the form of <paramref name="element"/> and waits until the answer page has loaded.</summary>
    public static void SubmitToNextPage(this IWebDriver browser, IWebElement element) => Navigate(browser, element.Submit);

    private static void Navigate(IWebDriver browser, Action navigate)
    {
        var oldPage = browser.FindElement(By.TagName("html"));
        navigate();
        var giveUp = DateTime.UtcNow + Limit;
        while (!IsGone(oldPage) || !IsLoaded(browser))
        {
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"the browser did not load the next page within {Limit}");
            }

            Thread.Sleep(20);
        }
    }

    private static bool IsGone(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
    }

    private static bool IsLoaded(IWebDriver browser) =>
        ((IJavaScriptExecutor)browser).ExecuteScript("return document.readyState;") as string == "complete";
}
