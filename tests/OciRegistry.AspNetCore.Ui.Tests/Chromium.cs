using OciRegistry.Tests;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// Headless Chromium from the distribution's packages (<c>apt-get install chromium chromium-driver</c>), driven through
/// the packaged chromedriver named explicitly, so Selenium Manager never downloads anything. A fresh profile per browser.
/// </summary>
internal sealed class Chromium : IDisposable
{
    private const string BrowserPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile = Directory.CreateTempSubdirectory("oci-ui-chromium-").FullName;

    /// <summary>Starts a browser: a 1280×900 desktop window, or with <paramref name="phone"/> a 390×844 phone screen (emulated: desktop windows cannot be that narrow).</summary>
    public Chromium(bool phone = false)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException($"The browser tests need {BrowserPath} and {DriverPath}: apt-get install -y chromium chromium-driver (.ci/run does).");
        }

        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={_profile}", "--window-size=1280,900");
        if (phone)
        {
            options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings
            {
                Width = 390,
                Height = 844,
                PixelRatio = 2,
                UserAgent = "Mozilla/5.0 (Linux; Android 14) Mobile",
            });
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    public IWebDriver Driver { get; }

    /// <summary>
    /// Saves the current page as <c>name.png</c> in the folder <c>UI_SCREENSHOTS</c> names (<c>.ci/run</c> sets
    /// <c>TestResults/ci/screenshots</c>, beside the test reports), else in <c>TestResults/ui-screenshots/</c> at the
    /// repository root.
    /// </summary>
    public string Screenshot(string name)
    {
        var folder = Environment.GetEnvironmentVariable("UI_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "TestResults", "ui-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();

        // The browser's last processes can still be writing to the profile as Quit returns.
        TestFolders.Delete(_profile);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OciRegistry.Core.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
