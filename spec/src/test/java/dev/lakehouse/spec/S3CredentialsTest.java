package dev.lakehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code lakehouse.endpoints.s3.credentials}: static keys for every client, or each client's default chain. */
class S3CredentialsTest {
  private static Endpoints.S3 load(Map<String, String> env) {
    return SpecLoader.load(SpecSource.bundled(), env, Map.of()).endpoints().s3();
  }

  @Test
  void staticUnlessSetAndTheEnvironmentChoosesTheDefaultChain() {
    assertThat(load(Map.of()).credentials()).isEqualTo(Endpoints.S3Credentials.STATIC);
    assertThat(load(Map.of()).staticKeys()).isTrue();
    Endpoints.S3 chain = load(Map.of("LAKEHOUSE_S3_CREDENTIALS", "default-chain"));
    assertThat(chain.credentials()).isEqualTo(Endpoints.S3Credentials.DEFAULT_CHAIN);
    assertThat(chain.staticKeys()).isFalse();
    assertThat(chain.toString()).contains("credentials=default-chain").doesNotContain(chain.secretKey());
    assertThat(Endpoints.S3Credentials.of(" Default-Chain ")).contains(Endpoints.S3Credentials.DEFAULT_CHAIN);
  }

  @Test
  void anythingElseIsAProblemWithItsPath() {
    assertThatThrownBy(() -> load(Map.of("LAKEHOUSE_S3_CREDENTIALS", "instance-role")))
        .hasMessageContaining("lakehouse.endpoints.s3.credentials: 'instance-role' is neither static nor"
            + " default-chain");
  }

  @Test
  void theOverridesOfAStackOnOtherPortsKeepTheChoice() {
    PipelineSpec spec = SpecLoader.load(SpecSource.bundled(), Map.of("LAKEHOUSE_S3_CREDENTIALS", "default-chain"),
        Map.of());
    Endpoints again = SpecLoader.load(SpecSource.bundled(), Map.of(), SpecLoader.overrides(spec.endpoints()))
        .endpoints();
    assertThat(again.s3().credentials()).isEqualTo(Endpoints.S3Credentials.DEFAULT_CHAIN);
  }
}
