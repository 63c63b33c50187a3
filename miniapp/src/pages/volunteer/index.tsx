import { ComingSoon } from '../../components/ComingSoon';

export default function VolunteerPage() {
  return <ComingSoon title="志愿服务" lead="志愿活动报名、现场签到和积分正在接入，很快可以在这里报名参加活动、查看自己的积分。" />;
}
