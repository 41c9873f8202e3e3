using OpenQA.Selenium;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// Clicks that load another page return once that page is there. WebDriver's click can return while the browser is
/// still between pages, and a look-up then finds nothing (or the old page) on a busy machine.
/// </summary>
/// <remarks>
/// The old page is recognised by a mark set on its window, not by an element of it: asking an element of a page that
/// is being replaced whether it is stale can fail with other errors than "stale" (Chrome answers "Node with given id
/// does not belong to the document"). A new document has a new window object, so the mark is gone once it is there.
/// </remarks>
internal static class PageNavigation
{
    // A bound for a browser that never navigates, not a speed expectation.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    private const string MarkOldPage = "window.ociRegistryTestOldPage = true;";

    private const string NextPageLoaded =
        "return window.ociRegistryTestOldPage !== true && document.readyState === 'complete';";

    /// <summary>Clicks <paramref name="element"/> and waits until the page it leads to has loaded.</summary>
    public static void ClickToNextPage(this IWebDriver browser, IWebElement element) => Navigate(browser, element.Click);

    /// <summary>Submits the form of <paramref name="element"/> and waits until the answer page has loaded.</summary>
    public static void SubmitToNextPage(this IWebDriver browser, IWebElement element) => Navigate(browser, element.Submit);

    private static void Navigate(IWebDriver browser, Action navigate)
    {
        var script = (IJavaScriptExecutor)browser;
        script.ExecuteScript(MarkOldPage);
        navigate();
        var giveUp = DateTime.UtcNow + Limit;
        WebDriverException? lastError = null;
        while (true)
        {
            try
            {
                if (script.ExecuteScript(NextPageLoaded) is true)
                {
                    return;
                }
            }
            catch (WebDriverException error)
            {
                // Between two documents a script may have no page to run in; the next look decides.
                lastError = error;
            }

            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"the browser did not load the next page within {Limit}", lastError);
            }

            Thread.Sleep(20);
        }
    }
}
