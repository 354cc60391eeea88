package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@code lakehouse.freshness} and {@code lakehouse.alerts}: defaults, precedence, validation. */
class OpsSpecTest {
  private static PipelineSpec load(UnaryOperator<Config> edit) {
    return SpecLoaderTest.load(edit);
  }

  private static SpecException problem(UnaryOperator<Config> edit) {
    return SpecLoaderTest.problem(edit);
  }

  @Test
  void theMostSpecificMaxLagWinsAssetThenLayerThenDefault() {
    FreshnessSpec f = SpecLoader.load().freshness();
    assertThat(f.maxLag("data_vault.s_users")).isEqualTo(Duration.ofSeconds(90));
    assertThat(f.maxLag("data_vault.h_users")).isEqualTo(Duration.ofMinutes(2));
    assertThat(f.maxLag("parsed_data.parsed_users")).isEqualTo(Duration.ofMinutes(2));
    FreshnessSpec layerless = load(c -> c.withoutPath("lakehouse.freshness.layers")).freshness();
    assertThat(layerless.maxLag("data_vault.h_users")).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void withoutTheBlocksEveryModelMayLagFiveMinutesAndAlertsAreOff() {
    PipelineSpec spec = load(c -> c.withoutPath("lakehouse.freshness").withoutPath("lakehouse.alerts"));
    assertThat(spec.freshness()).isEqualTo(FreshnessSpec.defaults());
    assertThat(spec.freshness().maxLag("data_vault.s_users")).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.alerts().webhook()).isEmpty();
    assertThat(spec.alerts().uiUrl(spec.endpoints())).isEqualTo("http://127.0.0.1:8233");
    assertThat(SpecLoader.load().alerts().webhook()).as("bundled spec: no url, alerts off").isEmpty();
  }

  @Test
  void aWebhookUrlTurnsAlertsOnInEitherFormat() {
    PipelineSpec spec = SpecLoader.load(Map.of("LAKEHOUSE_ALERTS_WEBHOOK_URL", "https://hooks.example.com/T1/x",
        "LAKEHOUSE_ALERTS_WEBHOOK_FORMAT", "slack"));
    assertThat(spec.alerts().webhook()).contains(new AlertsSpec.Webhook(URI.create("https://hooks.example.com/T1/x"),
        AlertsSpec.Format.SLACK));
  }

  @Test
  void unknownLayersAndModelsABadUrlAndFormatAreProblemsWithTheirPaths() {
    SpecException e = problem(c -> c
        .withValue("lakehouse.freshness.layers.raw_data", ConfigValueFactory.fromAnyRef("1m"))
        .withValue("lakehouse.freshness.assets", ConfigValueFactory.fromMap(Map.of("data_vault.s_user", "1m")))
        .withValue("lakehouse.freshness.default-max-lag", ConfigValueFactory.fromAnyRef("0s"))
        .withValue("lakehouse.alerts.webhook.url", ConfigValueFactory.fromAnyRef("ftp://x/y"))
        .withValue("lakehouse.alerts.webhook.format", ConfigValueFactory.fromAnyRef("teams")));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
        "lakehouse.freshness.layers: unknown layer 'raw_data': the layers with models are parsed_data and data_vault"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
        "lakehouse.freshness.assets: unknown model 'data_vault.s_user' (known: ").contains("data_vault.s_users"));
    assertThat(e.problems()).contains("lakehouse.freshness.default-max-lag: must be positive, got PT0S",
        "lakehouse.alerts.webhook.url: 'ftp://x/y' is not an http(s) URL with a host",
        "lakehouse.alerts.webhook.format: 'teams' is neither json nor slack");
  }
}
