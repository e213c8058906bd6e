package dev.portcullis.gateway.server;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.ProtocolModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginManager;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;

/**
 * Loads protocol modules with PF4J from the plugins folder. In development mode each sub-folder is a plugin's
 * build: its classes in {@code target/classes} and its {@code plugin.properties} at the top or in
 * {@code target/classes} (so {@code plugins/postgres} works straight after {@code mvn compile}); in deployment mode
 * the folder holds plugin jars or zips.
 */
final class ModuleLoader implements AutoCloseable {
  private final PluginManager plugins;

  ModuleLoader(GatewayConfig.Plugins settings) {
    Path dir = settings.dir();
    RuntimeMode mode = settings.development() ? RuntimeMode.DEVELOPMENT : RuntimeMode.DEPLOYMENT;
    // The anonymous subclass sees `mode` already during the super constructor, which asks for the runtime mode.
    this.plugins = new DefaultPluginManager(dir) {
      @Override
      public RuntimeMode getRuntimeMode() { return mode; }

      @Override
      protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new BuiltPluginDescriptorFinder();
      }
    };
    plugins.loadPlugins();
    plugins.startPlugins();
  }

  /**
   * Finds {@code plugin.properties} at the top of a plugin folder, or where a Maven build puts it
   * ({@code target/classes}, copied from {@code src/main/resources}).
   */
  private static final class BuiltPluginDescriptorFinder extends PropertiesPluginDescriptorFinder {
    @Override
    protected Path getPropertiesPath(Path pluginPath, String propertiesFileName) {
      Path top = super.getPropertiesPath(pluginPath, propertiesFileName);
      Path built = pluginPath.resolve("target").resolve("classes").resolve(propertiesFileName);
      return Files.isDirectory(pluginPath) && !Files.exists(top) && Files.exists(built) ? built : top;
    }
  }

  List<ProtocolModule> modules() {
    return plugins.getExtensions(ProtocolModule.class);
  }

  @Override
  public void close() {
    plugins.stopPlugins();
    plugins.unloadPlugins();
  }
}
