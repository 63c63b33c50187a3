// A WeChat custom component; 'apply-shared' lets app.wxss (the tab bar's classes, 长辈版 sizes) style it,
// as it styles the pages, instead of WeChat's default isolation.
export default { component: true, styleIsolation: 'apply-shared' };
