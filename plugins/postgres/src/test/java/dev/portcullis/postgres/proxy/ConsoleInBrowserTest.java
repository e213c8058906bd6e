package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.postgres.PostgresModule;
import dev.portcullis.testkit.TestDatabases;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromedriver), against the real gateway, the
 * reference policy, psql and the local PostgreSQL: a DELETE by the agent waits, its approval arrives live in the
 * inbox, the requester cannot approve it, a reviewer approves it with a justification, the DELETE completes, and
 * the ledger shows request, approval and result and verifies. The project's only browser test.
 */
class ConsoleInBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;
  String database;
  Path configFile;
  Gateway gateway;
  WebDriver browser;
  WebDriverWait wait;
  GatewayConfig config;

  @BeforeEach
  void start() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the console's browser test needs Debian's chromium and chromedriver: run `apt-get install -y chromium "
            + "chromium-driver` (.ci/run installs them)");
    database = TestDatabases.createPostgresDatabase("console");
    TestDatabases.Server server = TestDatabases.postgres();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgresql", database), server.user(),
        server.password()); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE jobs (id int PRIMARY KEY, name text)");
      st.execute("INSERT INTO jobs VALUES (1, 'stale'), (2, 'fresh')");
    }
    configFile = ReferenceConfig.write(dir, "staging-pg", database, "console.portcullis/ledger", """
        admin:
          listen: 127.0.0.1:0
          groups: [dba]
        """);
    config = GatewayConfig.load(configFile);
    gateway = Gateway.builder(config).module(new PostgresModule()).start();

    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (gateway != null) gateway.close();
    if (database != null) TestDatabases.dropPostgres(database);
  }

  @Test
  void aReviewerApprovesAWaitingDeleteInTheConsole() throws Exception {
    String agentToken = token("cursor-agent", "agents");
    browser.get(gateway.consoleUrl().toString());

    // The requester, also a dba here, signs in first: the console shows the request but refuses its approval.
    signIn(token("cursor-agent", "agents", "dba"));
    Process psql = psql(agentToken, "DELETE FROM jobs WHERE id = 1");
    WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.approval-card")));
    String id = card.getAttribute("data-id");
    card.findElement(By.tagName("textarea")).sendKeys("my own cleanup");
    card.findElement(By.cssSelector("button.approve")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error-" + id), "can never approve its own request"));

    browser.findElement(By.id("sign-out")).click();
    signIn(token("dana", "dba"));
    card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.approval-card[data-id='" + id + "']")));
    assertEquals("DELETE FROM jobs WHERE id = 1", card.findElement(By.cssSelector("pre.sql")).getText());
    assertEquals("DELETE", card.findElement(By.cssSelector("pre.sql .kw")).getText(), "keywords are highlighted");
    assertEquals("cursor-agent", card.findElement(By.cssSelector(".requester")).getText());
    assertEquals("INC-42", card.findElement(By.cssSelector(".justification")).getText());
    assertTrue(!card.findElement(By.cssSelector(".reasons")).getText().isBlank());
    assertTrue(card.findElement(By.cssSelector("[data-since]")).getText().matches("\\d+ s|\\d+ min \\d+ s"));

    card.findElement(By.cssSelector("button.approve")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error-" + id), "A justification is required"));
    WebElement justification = browser.findElement(By.id("justification-" + id));
    justification.sendKeys("INC-42: remove the stale job");
    browser.findElement(By.cssSelector("article.approval-card[data-id='" + id + "'] button.approve")).click();

    assertTrue(psql.waitFor(30, TimeUnit.SECONDS), "the DELETE was not released within 30 s");
    String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, psql.exitValue(), out);
    assertEquals("DELETE 1\n", out);
    try (Connection c = DriverManager.getConnection(TestDatabases.postgres().jdbcUrl("postgresql", database),
        TestDatabases.postgres().user(), TestDatabases.postgres().password());
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM jobs")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }

    // The ledger entries of the request: its decision, the approval with the reviewer's justification, the result.
    wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Ledger entries"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trail-entries li[data-kind='execution_result']")));
    String trail = browser.findElement(By.id("trail-entries")).getText();
    assertTrue(trail.contains("decision") && trail.contains("require_approval"), trail);
    assertTrue(trail.contains("approval") && trail.contains("approved by dana: INC-42: remove the stale job"), trail);
    assertTrue(trail.contains("execution_result") && trail.contains("1 row(s)"), trail);

    browser.findElement(By.id("nav-ledger")).click();
    browser.findElement(By.id("verify-now")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "Valid: entries:"));

    browser.quit();
    browser = null;
    gateway.close();
    gateway = null;
    StringWriter report = new StringWriter();
    var verify = LedgerCommand.commandLine();
    verify.setOut(new PrintWriter(report));
    verify.setErr(new PrintWriter(report));
    assertEquals(0, verify.execute("verify", "--config", configFile.toString()), report.toString());
  }

  private void signIn(String token) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
  }

  private String token(String subject, String... groups) throws Exception {
    return DevTokens.issue(DevTokens.devIssuer(config), subject, List.of(groups), Duration.ofMinutes(10));
  }

  /** psql as the agent, with a justification in its options; returns while the statement waits. */
  private Process psql(String token, String sql) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "host=127.0.0.1 port="
        + gateway.address("staging-pg").getPort() + " user=cursor-agent dbname=" + database
        + " options='-c justification=INC-42'", "-c", sql);
    pb.environment().put("PGPASSWORD", token);
    pb.redirectError(new File(dir.toFile(), "psql.err"));
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }
}
