package kpo.searchnode;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Single-node OpenSearch running in this JVM, with the distribution modules
 * KPO needs loaded from the classpath. Works as root (the official start
 * script refuses root; an in-JVM node has no such check).
 *
 * Usage: SearchNode &lt;home-dir&gt; &lt;http-port&gt; [key=value ...]
 * Extra key=value arguments are passed as node settings (override defaults).
 * Cluster mode: with {@code discovery.seed_hosts} among them the node joins a cluster
 * instead of running as a single node (give every node its own {@code transport.port},
 * the same {@code cluster.name} and {@code cluster.initial_cluster_manager_nodes}).
 * SIGTERM/SIGINT close the node cleanly.
 */
public final class SearchNode {

    static final List<Class<? extends Plugin>> PLUGINS = Arrays.asList(
            Netty4Plugin.class,
            CommonAnalysisPlugin.class,
            MapperExtrasPlugin.class,
            ReindexPlugin.class,
            PainlessPlugin.class);

    /** Node subclass only to reach the protected "classpath plugins" constructor. */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SearchNode <home-dir> <http-port> [key=value ...]");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath().normalize();
        int httpPort = Integer.parseInt(args[1]);
        Path config = home.resolve("config");
        Files.createDirectories(config);
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        try (InputStream in = SearchNode.class.getResourceAsStream("/search-node-log4j2.properties")) {
            Files.copy(in, config.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }

        Settings.Builder sb = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "kpo-search")
                .put("node.name", "kpo-search-" + httpPort)
                .put("network.host", "127.0.0.1")
                .put("http.port", Integer.toString(httpPort))
                // transport is unused by a single node: ephemeral port, loopback only
                .put("transport.port", "0")
                .put("discovery.type", "single-node")
                // CI disks are often >90% full: never block allocation / writes on disk usage
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.destructive_requires_name", false)
                .put("http.cors.enabled", false);
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + args[i]);
            }
            sb.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        if (sb.get("discovery.seed_hosts") != null) {
            // cluster mode: discovery through the seed hosts, not the single-node shortcut
            sb.remove("discovery.type");
        }

        Environment env = InternalSettingsPreparer.prepareEnvironment(
                sb.build(), Collections.emptyMap(), config, () -> "kpo-search-" + httpPort);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(env.settings().get("node.name"));
        LogConfigurator.configure(env);

        Node node = new EmbeddedNode(env, PLUGINS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                    System.err.println("search-node: node did not close within 30s");
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "search-node-shutdown"));

        node.start();
        System.out.println("search-node: started on http://127.0.0.1:" + httpPort + " (home " + home + ")");
        System.out.flush();
        stopped.await();
    }

    private SearchNode() {}
}
