package dev.lakehouse.stack.services;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Runs Apache Iceberg's REST catalog test fixture (iceberg-open-api test-fixtures) bound to one address.
 * RESTCatalogServer itself always binds 0.0.0.0, so this does what its start() does, with our connector:
 * backend catalog from the CATALOG_* environment, RESTServerCatalogAdapter, RESTCatalogServlet, Jetty 11.
 * Reflection only: the fixture and Jetty 11 live in target/services/iceberg-rest/lib, not on our classpath.
 * Args: host port.
 */
public final class IcebergRestMain {
  private IcebergRestMain() {}

  public static void main(String[] args) throws Exception {
    // the fixture logs its backend's properties at INFO, the S3 secret key included (slf4j-simple reads this
    // when the first logger is made, after this line)
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.iceberg.rest.RESTCatalogServer", "warn");
    // the servlet logs every error answer as an ERROR with its stack trace, and Trino asks for a view before each
    // table it resolves, a 404 every time: ~70 lines several times a second, 22 MB in 12 minutes of the bench, in a
    // log nothing rotates. The client of each request gets the error and reports it.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.iceberg.rest.RESTCatalogServlet", "off");
    // a line per table load and per metadata refresh: thousands an hour, nothing an operator reads
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.iceberg.BaseMetastoreCatalog", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.iceberg.BaseMetastoreTableOperations", "warn");
    String host = args[0];
    int port = Integer.parseInt(args[1]);

    Class<?> rck = Class.forName("org.apache.iceberg.rest.RCKUtils");
    Method envConfig = rck.getDeclaredMethod("environmentCatalogConfig");
    envConfig.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, String> config = (Map<String, String>) envConfig.invoke(null);

    Class<?> serverClass = Class.forName("org.apache.iceberg.rest.RESTCatalogServer");
    Constructor<?> serverCtor = serverClass.getDeclaredConstructor(Map.class);
    serverCtor.setAccessible(true);
    Object fixture = serverCtor.newInstance(config);
    Method init = serverClass.getDeclaredMethod("initializeBackendCatalog");
    init.setAccessible(true);
    Object context = init.invoke(fixture);

    Class<?> contextClass = Class.forName("org.apache.iceberg.rest.RESTCatalogServer$CatalogContext");
    Constructor<?> adapterCtor = Class.forName("org.apache.iceberg.rest.RESTServerCatalogAdapter")
        .getDeclaredConstructor(contextClass);
    adapterCtor.setAccessible(true);
    Object adapter = adapterCtor.newInstance(context);

    Class<?> adapterBase = Class.forName("org.apache.iceberg.rest.RESTCatalogAdapter");
    Object servlet = Class.forName("org.apache.iceberg.rest.RESTCatalogServlet")
        .getConstructor(adapterBase).newInstance(adapter);

    Class<?> handlerClass = Class.forName("org.eclipse.jetty.servlet.ServletContextHandler");
    Object handler = handlerClass.getConstructor(int.class).newInstance(0); // NO_SESSIONS
    Class<?> servletIface = Class.forName("jakarta.servlet.Servlet");
    Class<?> holderClass = Class.forName("org.eclipse.jetty.servlet.ServletHolder");
    Object holder = holderClass.getConstructor(servletIface).newInstance(servlet);
    handlerClass.getMethod("addServlet", holderClass, String.class).invoke(handler, holder, "/*");

    Class<?> jettyServer = Class.forName("org.eclipse.jetty.server.Server");
    Object server = jettyServer.getConstructor(InetSocketAddress.class).newInstance(new InetSocketAddress(host, port));
    jettyServer.getMethod("setHandler", Class.forName("org.eclipse.jetty.server.Handler")).invoke(server, handler);
    jettyServer.getMethod("start").invoke(server);
    System.out.println("Iceberg REST catalog listening on http://" + host + ":" + port);
    jettyServer.getMethod("join").invoke(server);
  }
}
