// The VS Code client of `iisconf lsp`: starts the server over stdio for IIS
// configuration files (*.config: web.config, applicationHost.config, transforms) and
// leaves everything else (diagnostics, hover, completion, code actions, outline,
// definitions) to the protocol.
import { workspace, ExtensionContext } from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace.getConfiguration("iisconf").get<string>("path", "iisconf");
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/*.config" },
      { scheme: "untitled", language: "xml" },
    ],
  };
  client = new LanguageClient("iisconf", "iisconf", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
