// Starts `wikistamp lsp` for Markdown files and restarts it on demand.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration("wikistamp").get<string>("path");
  return configured && configured.trim() !== "" ? configured : "wikistamp";
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = serverCommand();
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    initializationOptions: {
      rules: vscode.workspace.getConfiguration("wikistamp").get("rules") ?? {},
    },
    synchronize: {
      configurationSection: "wikistamp",
    },
  };
  client = new LanguageClient("wikistamp", "wikistamp", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    void vscode.window.showErrorMessage(
      `wikistamp: could not start \`${command} lsp\` (${String(err)}). ` +
        "Install wikistamp (cargo install --path .) or set `wikistamp.path`.",
    );
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("wikistamp.restartServer", async () => {
      if (client) {
        await client.stop();
        client = undefined;
      }
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("wikistamp.path")) {
        await vscode.commands.executeCommand("wikistamp.restartServer");
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
