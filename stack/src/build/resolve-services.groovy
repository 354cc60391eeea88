// Build-time resolution of each local-stack service's runtime classpath into target/services/<service>/lib.
// Runs inside Maven (gmavenplus): `project`, `session` and `log` are Maven's own objects, so the same
// repositories, mirrors, offline flag and local repository are used as for any other dependency.
// A marker file per service records the coordinates copied; an unchanged list is not copied again.
import org.eclipse.aether.RepositorySystem
import org.eclipse.aether.artifact.DefaultArtifact
import org.eclipse.aether.collection.CollectRequest
import org.eclipse.aether.graph.Dependency
import org.eclipse.aether.graph.Exclusion
import org.eclipse.aether.resolution.DependencyRequest
import org.eclipse.aether.util.artifact.JavaScopes
import org.eclipse.aether.util.filter.DependencyFilterUtils

def p = project.properties
def v = { String key -> def x = p.getProperty(key); if (x == null) throw new IllegalStateException("missing property " + key); x }
File services = new File(project.build.directory, 'services')

def system = session.container.lookup(RepositorySystem)
def repoSession = session.repositorySession
def repos = project.remoteProjectRepositories

def log4j = ["org.apache.logging.log4j:log4j-api:${v('log4j2.version')}",
             "org.apache.logging.log4j:log4j-core:${v('log4j2.version')}",
             "org.apache.logging.log4j:log4j-slf4j2-impl:${v('log4j2.version')}",
             // nearest wins: a direct slf4j 2.x beats the 1.7.36 the trees drag (which silences logging)
             "org.slf4j:slf4j-api:${v('slf4j.version')}"]

def sets = [
  // broker and Connect share one lib dir, as in the Apache Kafka distribution
  'kafka': [coords: ["org.apache.kafka:kafka_2.13:${v('kafka.version')}",
                     "org.apache.kafka:connect-runtime:${v('kafka.version')}",
                     "org.apache.kafka:connect-json:${v('kafka.version')}",
                     "org.apache.kafka:connect-transforms:${v('kafka.version')}"] + log4j,
            excludes: ['org.slf4j:slf4j-log4j12', 'org.slf4j:slf4j-reload4j', 'ch.qos.reload4j:reload4j']],
  // a Connect plugin dir: Debezium and its own deps (Kafka/Connect APIs come from the worker)
  'connect-plugins/debezium-connector-postgres': [coords: ["io.debezium:debezium-connector-postgres:${v('debezium.version')}"],
            excludes: ['org.apache.kafka:*', 'org.slf4j:*', 'ch.qos.logback:*', 'org.apache.logging.log4j:*']],
  'flink': [coords: ['flink-runtime', 'flink-clients', 'flink-streaming-java', 'flink-table-api-java',
                     'flink-table-api-java-bridge', 'flink-table-runtime', 'flink-table-planner-loader',
                     'flink-sql-gateway', 'flink-json', 'flink-connector-datagen', 'flink-connector-files',
                     'flink-rpc-akka-loader'].collect { "org.apache.flink:${it}:${v('flink.version')}" } +
                    ["org.apache.flink:flink-sql-connector-kafka:${v('flink-kafka-connector.version')}",
                     "org.apache.iceberg:iceberg-flink-runtime-2.0:${v('iceberg.version')}",
                     "org.apache.iceberg:iceberg-aws-bundle:${v('iceberg.version')}",
                     "org.apache.hadoop:hadoop-client-api:${v('hadoop.version')}",
                     "org.apache.hadoop:hadoop-client-runtime:${v('hadoop.version')}"] + log4j,
            excludes: ['org.slf4j:slf4j-log4j12', 'org.slf4j:slf4j-reload4j', 'ch.qos.reload4j:reload4j', 'log4j:log4j']],
  // the last-resort Temporal (TemporalTestServerMain), used only when no temporal CLI can be found or built
  'temporal-test-server': [coords: ["io.temporal:temporal-test-server:${v('temporal.version')}",
                     "org.slf4j:slf4j-api:${v('slf4j.version')}",
                     "org.slf4j:slf4j-simple:${v('slf4j.version')}"],
            excludes: []],
  'iceberg-rest': [coords: ["org.apache.iceberg:iceberg-open-api:jar:test-fixtures:${v('iceberg.version')}",
                     "org.apache.iceberg:iceberg-core:${v('iceberg.version')}",
                     "org.apache.iceberg:iceberg-core:jar:tests:${v('iceberg.version')}",
                     "org.apache.iceberg:iceberg-aws:${v('iceberg.version')}",
                     "org.apache.iceberg:iceberg-aws-bundle:${v('iceberg.version')}",
                     "org.apache.hadoop:hadoop-client-api:${v('hadoop.version')}",
                     "org.apache.hadoop:hadoop-client-runtime:${v('hadoop.version')}",
                     "org.eclipse.jetty:jetty-server:${v('jetty11.version')}",
                     "org.eclipse.jetty:jetty-servlet:${v('jetty11.version')}",
                     "org.xerial:sqlite-jdbc:${v('sqlite-jdbc.version')}",
                     "org.slf4j:slf4j-api:${v('slf4j.version')}",
                     "org.slf4j:slf4j-simple:${v('slf4j.version')}"],
            excludes: ['org.slf4j:slf4j-log4j12', 'org.slf4j:slf4j-reload4j', 'ch.qos.reload4j:reload4j']],
]

sets.each { String name, Map spec ->
  File lib = name.startsWith('connect-plugins/') ? new File(services, name) : new File(services, name + '/lib')
  File marker = new File(lib, '.resolved')
  String key = (spec.coords + ['--'] + spec.excludes).join('\n')
  if (marker.file && marker.text == key) {
    log.info("services/${name}: up to date")
    return
  }
  def exclusions = spec.excludes.collect { String e -> def (g, a) = e.split(':'); new Exclusion(g, a, '*', '*') }
  def collect = new CollectRequest()
  spec.coords.each { String c -> collect.addDependency(new Dependency(new DefaultArtifact(c), JavaScopes.RUNTIME, false, exclusions)) }
  collect.repositories = repos
  def request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME))
  def result = system.resolveDependencies(repoSession, request)
  if (lib.exists()) lib.deleteDir()
  lib.mkdirs()
  int n = 0
  result.artifactResults.each { r ->
    def a = r.artifact
    String fileName = a.artifactId + '-' + a.version + (a.classifier ? '-' + a.classifier : '') + '.' + a.extension
    java.nio.file.Files.copy(a.file.toPath(), new File(lib, fileName).toPath())
    n++
  }
  marker.text = key
  log.info("services/${name}: ${n} artifacts")
}

// PostgreSQL: the zonky jar carries a .txz of the binaries; unpack it once with tar/xz
File pgArchiveDir = new File(services, 'postgres/archive')
File pgHome = new File(services, 'postgres/pgsql')
File txz = pgArchiveDir.listFiles()?.find { it.name.endsWith('.txz') }
if (txz != null && !new File(pgHome, 'bin/postgres').exists()) {
  pgHome.mkdirs()
  def proc = ['tar', '-xJf', txz.absolutePath, '-C', pgHome.absolutePath].execute()
  proc.waitForProcessOutput(System.out, System.err)
  if (proc.exitValue() != 0) throw new IllegalStateException("tar -xJf ${txz} failed (needs tar and xz)")
  log.info("services/postgres: unpacked ${txz.name}")
}

// Trino: the iceberg plugin zip holds trino-iceberg-<v>/; the server core tar.gz holds trino-server-core-<v>/
File trino = new File(services, 'trino')
File pluginExtra = new File(trino, 'plugin-extra')
pluginExtra.listFiles()?.findAll { it.directory && it.name.startsWith('trino-iceberg') }?.each { d ->
  File server = trino.listFiles().find { it.directory && it.name.startsWith('trino-server') }
  if (server != null) {
    File target = new File(server, 'plugin/iceberg')
    if (!target.exists()) {
      target.parentFile.mkdirs()
      if (!d.renameTo(target)) throw new IllegalStateException("cannot move ${d} to ${target}")
      log.info("services/trino: iceberg plugin in ${target}")
    }
  }
}

// Trino's file password authenticator (lakehouse.security.trino, docs/security.md): the server core tar.gz stores
// that plugin's jars as hard links to lib/ and to other plugins, which the unpack leaves as empty files; link each
// to the non-empty jar of the same name (its link target in the archive).
File trinoServer = trino.listFiles()?.find { it.directory && it.name.startsWith('trino-server') }
File passwordPlugin = trinoServer == null ? null : new File(trinoServer, 'plugin/password-authenticators')
if (passwordPlugin?.directory) {
  Map<String, File> full = [:]
  trinoServer.eachFileRecurse(groovy.io.FileType.FILES) { f ->
    if (f.name.endsWith('.jar') && f.length() > 0) full.putIfAbsent(f.name, f)
  }
  List<File> empty = passwordPlugin.listFiles().findAll { it.name.endsWith('.jar') && it.length() == 0 }
  empty.each { f ->
    File from = full[f.name]
    if (from == null) throw new IllegalStateException("services/trino: no jar named ${f.name} to fill ${f}")
    java.nio.file.Files.delete(f.toPath())
    java.nio.file.Files.createLink(f.toPath(), from.toPath())
  }
  if (!empty.isEmpty()) log.info("services/trino: ${empty.size()} jars of ${passwordPlugin} linked to their targets")
}
