import { QuartzConfig } from "./quartz/cfg"
import * as Plugin from "./quartz/plugins"

const config: QuartzConfig = {
  configuration: { pageTitle: "Notes", baseUrl: "example.com" },
  plugins: {
    transformers: [Plugin.FrontMatter(), Plugin.ObsidianFlavoredMarkdown(), Plugin.CrawlLinks({ markdownLinkResolution: "shortest" })],
    filters: [],
    emitters: [Plugin.AliasRedirects(), Plugin.ContentPage()],
  },
}

export default config
