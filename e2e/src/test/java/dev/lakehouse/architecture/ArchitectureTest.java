package dev.lakehouse.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.temporal.activity.ActivityInterface;
import io.temporal.workflow.WorkflowInterface;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The layering of the modules as rules over their compiled main classes (this module sees every one of them).
 * Each rule's text is the message a violation fails with.
 */
@AnalyzeClasses(packages = "dev.lakehouse", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Packages whose use means talking to an outside system or the file system. */
  private static final String[] IO = {"java.net..", "java.sql..", "javax.sql..", "java.nio.file..",
      "java.nio.channels..", "io.trino..", "org.postgresql..", "org.apache.kafka..", "org.apache.iceberg..",
      "org.apache.hadoop..", "okhttp3..", "io.grpc.."};

  private static final DescribedPredicate<JavaClass> DOES_IO = resideInAnyPackage(IO).or(belongToAnyOf(File.class,
      FileInputStream.class, FileOutputStream.class, FileReader.class, FileWriter.class, RandomAccessFile.class))
      .as("network, JDBC, file or outside-system classes");

  @ArchTest
  static final ArchRule workflowsDoNoIo = noClasses().that().resideInAPackage("dev.lakehouse.workflows..")
      .should().dependOnClassesThat(DOES_IO)
      .because("workflow code replays: it reaches outside systems only through activities");

  @ArchTest
  static final ArchRule workflowsReadNoConfigFiles = noClasses().that().resideInAPackage("dev.lakehouse.workflows..")
      .should().dependOnClassesThat().resideInAPackage("com.typesafe.config..")
      .because("the spec module reads lakehouse.conf; workflows get records");

  @ArchTest
  static final ArchRule workflowImplementationsAreDeterministic = noClasses()
      .that().resideInAPackage("dev.lakehouse.workflows.impl..")
      .should().callMethod(System.class, "currentTimeMillis")
      .orShould().callMethod(System.class, "nanoTime")
      .orShould().callMethod(Thread.class, "sleep", long.class)
      .orShould().callMethod(UUID.class, "randomUUID")
      .orShould().callMethod(Instant.class, "now")
      .orShould().callMethod(LocalDateTime.class, "now")
      .orShould().callConstructor(Random.class)
      .orShould().callConstructor(Thread.class, Runnable.class)
      .because("a workflow must replay to the same decisions: use Workflow.currentTimeMillis(), "
          + "Workflow.sleep(), Workflow.randomUUID() and Workflow.newRandom()");

  @ArchTest
  static final ArchRule modelsDoNoIo = noClasses().that().resideInAPackage("dev.lakehouse.models..")
      .should().dependOnClassesThat(DOES_IO)
      .because("SQL generation is pure: activities execute the statements, the CLI prints them");

  @ArchTest
  static final ArchRule specDoesNoNetworkIo = noClasses().that().resideInAPackage("dev.lakehouse.spec..")
      .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.sql..", "io.trino..",
          "org.postgresql..", "org.apache.kafka..", "org.apache.iceberg..", "io.grpc..", "io.temporal..")
      .because("the spec module reads one file into records; connecting is the job of the modules that use it");

  @ArchTest
  static final ArchRule onlyTheSpecModuleParsesTheSpec = noClasses()
      .that().resideOutsideOfPackage("dev.lakehouse.spec..")
      .should().dependOnClassesThat().resideInAPackage("com.typesafe.config..")
      .because("lakehouse.conf has one reader (dev.lakehouse.spec.SpecLoader); everyone else uses its records");

  @ArchTest
  static final ArchRule theCliDoesNotRunActivities = noClasses().that().resideInAPackage("dev.lakehouse.starter..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.lakehouse.activities..", "dev.lakehouse.worker..")
      .because("the CLI drives the pipeline through Temporal; the worker runs the activities");

  @ArchTest
  static final ArchRule theConsoleDoesNotRunActivities = noClasses().that().resideInAPackage("dev.lakehouse.console..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.lakehouse.activities..", "dev.lakehouse.worker..")
      .because("the asset console reads Trino with the CLI's read-only queries and drives runs through Temporal;"
          + " it keeps answering while the worker is down");

  @ArchTest
  static final ArchRule theEnvironmentIsReadThroughTheSpec = noClasses()
      .that().resideInAnyPackage("dev.lakehouse.workflows..", "dev.lakehouse.models..",
          "dev.lakehouse.activities..", "dev.lakehouse.worker..", "dev.lakehouse.starter..", "dev.lakehouse.console..")
      .and().doNotHaveSimpleName("WorkerMain").and().doNotHaveSimpleName("LakehouseCli")
      .and().doNotHaveSimpleName("ConsoleMain")
      .should().callMethod(System.class, "getenv")
      .orShould().callMethod(System.class, "getenv", String.class)
      .because("the spec substitutes environment variables (${?VAR}); only the mains hand the environment to it");

  @ArchTest
  static final ArchRule kafkaOnlyInItsPackage = outsideSystemInOnePackage("org.apache.kafka..", "kafka");

  @ArchTest
  static final ArchRule icebergOnlyInItsPackage = outsideSystemInOnePackage("org.apache.iceberg..", "iceberg");

  @ArchTest
  static final ArchRule modulesHaveNoCycles = slices().matching("dev.lakehouse.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule activityPackagesHaveNoCycles = slices().matching("dev.lakehouse.activities.(*)..")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule workflowPackagesHaveNoCycles = slices().matching("dev.lakehouse.workflows.(*)..")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule activityImplementationsAreNamedAfterTheirInterface =
      classes().that(implementAnInterfaceAnnotatedWith(ActivityInterface.class))
          .should(beNamedAfterThatInterface(ActivityInterface.class))
          .because("one naming scheme (Temporal's samples): the implementation of FooActivities is FooActivitiesImpl,"
              + " whichever outside system it talks to (its package says that)");

  @ArchTest
  static final ArchRule workflowImplementationsAreNamedAfterTheirInterface =
      classes().that(implementAnInterfaceAnnotatedWith(WorkflowInterface.class))
          .should(beNamedAfterThatInterface(WorkflowInterface.class))
          .because("one naming scheme (Temporal's samples): the implementation of FooWorkflow is FooWorkflowImpl");

  /** Among the activities, one package per outside system talks to it. */
  private static ArchRule outsideSystemInOnePackage(String client, String system) {
    return noClasses().that().resideInAPackage("dev.lakehouse.activities..")
        .and().resideOutsideOfPackage("dev.lakehouse.activities." + system + "..")
        .should().dependOnClassesThat().resideInAPackage(client)
        .because("activities talk to " + system + " only from dev.lakehouse.activities." + system);
  }

  private static DescribedPredicate<JavaClass> implementAnInterfaceAnnotatedWith(
      Class<? extends Annotation> annotation) {
    return DescribedPredicate.describe("implement an interface annotated with @" + annotation.getSimpleName(),
        c -> !c.isInterface() && !annotatedInterfaces(c, annotation).isEmpty());
  }

  /** {@code <interface>Impl} for one of the annotated interfaces the class implements. */
  private static ArchCondition<JavaClass> beNamedAfterThatInterface(Class<? extends Annotation> annotation) {
    return new ArchCondition<>("be named <interface>Impl after the @" + annotation.getSimpleName()
        + " interface they implement") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        List<String> expected = annotatedInterfaces(c, annotation).stream().map(i -> i.getSimpleName() + "Impl")
            .sorted().toList();
        boolean named = expected.contains(c.getSimpleName());
        events.add(new SimpleConditionEvent(c, named, c.getName() + " should be named "
            + String.join(" or ", expected)));
      }
    };
  }

  private static List<JavaClass> annotatedInterfaces(JavaClass c, Class<? extends Annotation> annotation) {
    return c.getAllRawInterfaces().stream().filter(i -> i.isAnnotatedWith(annotation)).toList();
  }
}
