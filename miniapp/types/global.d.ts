/// <reference types="@tarojs/taro" />
declare module '*.png';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5';
    TARO_APP_API_BASE: string;
    TARO_APP_DEV_LOGIN: string;
  }
}
