import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';

const SECTIONS: Array<[string, string]> = [
  [
    '我们收集什么',
    '登录时：微信给的匿名编号（openid），用来认出您。认证居民时：真实姓名、所在楼栋和门牌号、与户主的关系。手机号是选填的，只有您单独勾选同意后才保存。我们不收集身份证号，也不读取您的通讯录、位置或相册，除非某项服务需要并当场问过您：随手拍时您可以在地图上选一个位置（只保存您选的那个点），也可以拍照或从相册选照片（照片会去掉拍摄地点等信息后保存）。',
  ],
  ['用来做什么', '确认您是本社区或本村的居民，让您能网上办事、参与议事和投票、报名志愿活动；让工作人员在需要时联系您。'],
  [
    '谁能看到',
    '只有您所在社区的工作人员（两委成员、网格员、便民服务中心工作人员）在工作需要时能看到您的姓名和住址；手机号对他们也只显示打码后的样子，例如 138****0000。其他居民看不到您的个人信息。',
  ],
  ['留痕', '工作人员查看、处理您的信息都会被记录：谁、什么时候、做了什么、为什么。居务监督委员会可以检查这些记录。'],
  [
    '您的权利',
    '您可以随时在“我的”里查看自己的信息、撤回授权；撤回手机号授权后，我们会删除保存的手机号。需要删除全部信息，可以到社区服务中心或打社区电话办理。',
  ],
  ['联系我们', '对个人信息有疑问，请到社区服务中心或拨打“我的”页面中的社区电话。'],
];

export default function PrivacyPage() {
  return (
    <Page requireSession={false}>
      <View className="card stack privacy-text">
        <Text className="card-title">村居通隐私保护指引</Text>
        <Text className="muted">版本 2026-11-01</Text>
        {SECTIONS.map(([title, body]) => (
          <View key={title} className="stack">
            <Text className="text" style={{ fontWeight: 600 }}>
              {title}
            </Text>
            <Text className="text">{body}</Text>
          </View>
        ))}
      </View>
    </Page>
  );
}
