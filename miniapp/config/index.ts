import { defineConfig } from '@tarojs/cli';
import path from 'node:path';

// One config for both targets: weapp output goes to dist/ (opened by WeChat DevTools through the root
// project.config.json), the H5 build to dist-h5/ (served by the local server and used by the browser tests).
export default defineConfig<'webpack5'>(async () => {
  const isH5 = process.env.TARO_ENV === 'h5';
  // Shared, zod-free modules outside src (vocabularies, Shanghai dates) are compiled like the app's own code.
  const compile = { include: [path.resolve(__dirname, '..', '..', 'api', '_contracts')] };
  return {
    projectName: 'cunju',
    date: '2026-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    plugins: [],
    defineConstants: {
      // The API origin. Empty on H5 (same origin: /api); the weapp build needs the deployed HTTPS domain.
      'process.env.TARO_APP_API_BASE': JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
      'process.env.TARO_APP_DEV_LOGIN': JSON.stringify(process.env.TARO_APP_DEV_LOGIN ?? 'on'),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      '@contracts': path.resolve(__dirname, '..', '..', 'api', '_contracts'),
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      optimizeMainPackage: { enable: true },
      // WeChat cannot recurse templates, so Taro compiles one set per nesting level (16 by default, ~2.7 KB
      // each in base.wxml, all in the main package). Our deepest page is 10 levels (the weapp smoke test
      // measures every page and fails past this); anything deeper would still render, through Taro's comp.
      baseLevel: 12,
      compile,
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile,
      router: { mode: 'hash' },
      // Taro splits only the app's first chunk, so each page's lazy chunk carried its own copy of the
      // libraries (Taro's components, Swiper, fetch and platform polyfills: ~270 KB a page, 11 MB in all) and
      // of our shared code (the Page frame, API clients). Libraries two pages share become one chunk, fetched
      // with the first page and cached for a year; our shared code is grouped by the pages that use it.
      webpackChain(chain) {
        const split = chain.optimization.get('splitChunks') as { cacheGroups?: Record<string, unknown> };
        chain.optimization.splitChunks({
          ...split,
          cacheGroups: {
            ...split.cacheGroups,
            pagesLib: { name: 'pages-lib', test: /[\\/]node_modules[\\/]/, chunks: 'async', minChunks: 2, priority: 90, enforce: true },
            pagesCommon: { name: false, chunks: 'async', minChunks: 2, minSize: 8000, priority: 5, reuseExistingChunk: true },
          },
        });
      },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
});
